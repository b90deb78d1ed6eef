package dev.kvasir.gguf;

import dev.kvasir.io.AtomicFile;
import dev.kvasir.io.ByteSource;
import dev.kvasir.io.ExactLengthChannel;
import dev.kvasir.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Builds a GGUF v3 file: typed metadata (in put order) and tensors (in add order, each aligned to
 * {@code general.alignment}, default 32, and padded with zeros after, as llama.cpp writes them). Tensor bytes come
 * from a {@link MemorySegment} or a {@link ByteSource} that streams them, so huge synthetic models never need to be
 * in memory. {@link #write} writes a temporary file in the target's directory and renames it into place atomically.
 */
public final class GgufWriter {
    private record PendingTensor(GgufTensorInfo info, ByteSource source) {}

    private final LinkedHashMap<String, GgufMetadata.Value> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();

    /**
     * A writer holding all metadata and tensors of {@code file}; its tensor data is read from {@code file}'s mapping,
     * which must stay open until {@link #write} returns.
     */
    public static GgufWriter copyOf(GgufFile file) {
        GgufWriter w = new GgufWriter();
        GgufMetadata md = file.metadata();
        for (String key : md.keys()) {
            w.put(key, md.type(key), md.raw(key));
        }
        for (GgufTensorInfo t : file.tensors()) {
            w.addTensor(t.name(), t.type(), t.shape(), file.tensorData(t));
        }
        return w;
    }

    /** Puts a value of any type; {@code value} must have the Java type documented on {@link GgufValueType}. */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        GgufValues.check(key, type, value);
        metadata.put(key, new GgufMetadata.Value(type, value));
        return this;
    }

    public GgufWriter putUint8(String key, int value) {
        return put(key, GgufValueType.UINT8, value);
    }

    public GgufWriter putInt8(String key, int value) {
        return put(key, GgufValueType.INT8, value);
    }

    public GgufWriter putUint16(String key, int value) {
        return put(key, GgufValueType.UINT16, value);
    }

    public GgufWriter putInt16(String key, int value) {
        return put(key, GgufValueType.INT16, value);
    }

    public GgufWriter putUint32(String key, long value) {
        return put(key, GgufValueType.UINT32, value);
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValueType.INT32, value);
    }

    public GgufWriter putUint64(String key, long value) {
        return put(key, GgufValueType.UINT64, value);
    }

    public GgufWriter putInt64(String key, long value) {
        return put(key, GgufValueType.INT64, value);
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, value);
    }

    public GgufWriter putFloat64(String key, double value) {
        return put(key, GgufValueType.FLOAT64, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    public GgufWriter putArray(String key, GgufArray value) {
        return put(key, GgufValueType.ARRAY, value);
    }

    public GgufWriter remove(String key) {
        metadata.remove(key);
        return this;
    }

    /** Adds a tensor whose bytes are {@code data} (exactly the tensor's byte size). */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, MemorySegment data) {
        GgufTensorInfo info = tensorInfo(name, type, shape);
        if (data.byteSize() != info.byteSize()) {
            throw new IllegalArgumentException("tensor '" + name + "' needs " + info.byteSize() + " bytes of data, got "
                    + data.byteSize());
        }
        return add(info, ByteSource.of(data));
    }

    /** Adds a tensor whose bytes (exactly its byte size) are streamed by {@code source} when the file is written. */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, ByteSource source) {
        return add(tensorInfo(name, type, shape), source);
    }

    private GgufWriter add(GgufTensorInfo info, ByteSource source) {
        if (!tensorNames.add(info.name())) {
            throw new IllegalArgumentException("duplicate tensor name '" + info.name() + "'");
        }
        tensors.add(new PendingTensor(info, source));
        return this;
    }

    private static GgufTensorInfo tensorInfo(String name, GgmlType type, long[] shape) {
        if (shape.length > GgufHeaderParser.MAX_DIMS || (shape.length > 0 && shape[0] % type.blockSize() != 0)
                || java.util.Arrays.stream(shape).anyMatch(d -> d < 0)) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + java.util.Arrays.toString(shape)
                    + " is not valid for " + type + " (at most " + GgufHeaderParser.MAX_DIMS
                    + " dimensions, row length a multiple of " + type.blockSize() + ")");
        }
        return new GgufTensorInfo(name, shape, type, 0);
    }

    long alignment() {
        GgufMetadata.Value v = metadata.get("general.alignment");
        if (v == null) {
            return GgufHeaderParser.DEFAULT_ALIGNMENT;
        }
        long a = v.type().isInteger() ? ((Number) v.value()).longValue() : -1;
        if (a <= 0 || Long.bitCount(a) != 1) {
            throw new IllegalArgumentException("general.alignment must be a positive power of two, got " + v.value());
        }
        return a;
    }

    /** Writes the file atomically: readers of {@code path} see the old file or the complete new one, never a part. */
    public void write(Path path) {
        try {
            AtomicFile.write(path, this::writeTo);
        } catch (IOException e) {
            throw new GgufException(path + ": cannot write GGUF file (" + e + ")", e);
        }
    }

    private void writeTo(WritableByteChannel out) throws IOException {
        long alignment = alignment();
        List<GgufTensorInfo> placed = place(alignment);
        byte[] header = header(placed, alignment);
        ByteSource.writeFully(out, ByteBuffer.wrap(header));
        long position = header.length;
        for (int i = 0; i < placed.size(); i++) {
            GgufTensorInfo info = placed.get(i);
            ExactLengthChannel.write(out, info.byteSize(), "tensor '" + info.name() + "'", tensors.get(i).source());
            position += info.byteSize();
            position += pad(out, position, alignment);
        }
    }

    /** Tensor infos with offsets: each tensor starts at the next multiple of the alignment. */
    private List<GgufTensorInfo> place(long alignment) {
        List<GgufTensorInfo> placed = new ArrayList<>(tensors.size());
        long offset = 0;
        for (PendingTensor t : tensors) {
            GgufTensorInfo i = t.info();
            placed.add(new GgufTensorInfo(i.name(), i.shape(), i.type(), offset));
            offset = GgufHeaderParser.alignUp(offset + i.byteSize(), alignment);
        }
        return placed;
    }

    private byte[] header(List<GgufTensorInfo> placed, long alignment) {
        GgufEncoder e = new GgufEncoder();
        e.raw(new byte[] {'G', 'G', 'U', 'F'}).le(4, 3).le(8, placed.size()).le(8, metadata.size());
        metadata.forEach((key, v) -> e.string(key).le(4, v.type().id()).value(v.type(), v.value()));
        for (GgufTensorInfo t : placed) {
            e.string(t.name()).le(4, t.rank());
            for (long d : t.shape()) {
                e.le(8, d);
            }
            e.le(4, t.type().id()).le(8, t.offset());
        }
        e.zeros(GgufHeaderParser.alignUp(e.size(), alignment) - e.size());
        return e.toByteArray();
    }

    private static long pad(WritableByteChannel out, long position, long alignment) throws IOException {
        long padding = GgufHeaderParser.alignUp(position, alignment) - position;
        ByteSource.writeFully(out, ByteBuffer.allocate((int) padding));
        return padding;
    }
}
