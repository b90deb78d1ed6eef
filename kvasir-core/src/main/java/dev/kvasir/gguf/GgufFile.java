package dev.kvasir.gguf;

import dev.kvasir.io.MappedFile;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open GGUF (v2 or v3) file: validated header plus the whole file mapped read-only with a shared arena, so
 * tensors can be read from any thread and files larger than 2 GiB work. Tensor data stays on disk until touched.
 * Closing unmaps the file; segments from {@link #tensorData} must not be used afterwards.
 */
public final class GgufFile implements AutoCloseable {
    private final MappedFile file;
    private final MemorySegment mapping;
    private final GgufHeader header;
    private final Map<String, GgufTensorInfo> byName = new LinkedHashMap<>();
    private volatile String fingerprint;

    private GgufFile(MappedFile file, GgufHeader header) {
        this.file = file;
        this.mapping = file.segment();
        this.header = header;
        for (GgufTensorInfo t : header.tensors()) {
            byName.put(t.name(), t);
        }
    }

    /** Maps and validates a GGUF file; every problem is a {@link GgufException} with a one-line message. */
    public static GgufFile open(Path path) {
        MappedFile file = MappedFile.open(path, GgufException::new);
        try {
            return new GgufFile(file, GgufHeaderParser.parse(file.segment(), path.toString()));
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public Path path() {
        return file.path();
    }

    public int version() {
        return header.version();
    }

    /** Alignment of tensor data: {@code general.alignment}, or 32 when absent. */
    public long alignment() {
        return header.alignment();
    }

    public GgufMetadata metadata() {
        return header.metadata();
    }

    /** Tensor infos in file order. */
    public List<GgufTensorInfo> tensors() {
        return header.tensors();
    }

    public Optional<GgufTensorInfo> tensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** File offset of the data section, to which tensor offsets are relative. */
    public long dataOffset() {
        return header.dataStart();
    }

    /** The tensor's bytes: a read-only slice of the mapping (little-endian ggml layout). */
    public MemorySegment tensorData(GgufTensorInfo tensor) {
        if (byName.get(tensor.name()) != tensor && !tensor.equals(byName.get(tensor.name()))) {
            throw new IllegalArgumentException("tensor " + tensor.name() + " is not from " + path());
        }
        return mapping.asSlice(header.dataStart() + tensor.offset(), tensor.byteSize()).asReadOnly();
    }

    /**
     * A 128-bit hex identity of the model (same weights and metadata → same value; different fine-tunes of one
     * architecture → different values), computed in well under a second from the header and samples of every tensor;
     * see {@link GgufFingerprint} for exactly what is hashed and why that is enough. Computed once, then cached.
     */
    public String fingerprint() {
        String f = fingerprint;
        if (f == null) {
            f = GgufFingerprint.of(this);
            fingerprint = f;
        }
        return f;
    }

    /** The whole mapped file, read-only. */
    MemorySegment mapping() {
        return mapping.asReadOnly();
    }

    GgufHeader header() {
        return header;
    }

    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return path() + " (GGUF v" + version() + ", " + tensors().size() + " tensors, " + metadata().size() + " metadata keys)";
    }
}
