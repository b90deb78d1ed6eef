package dev.kvasir.safetensors;

import dev.kvasir.io.AtomicFile;
import dev.kvasir.io.ByteSource;
import dev.kvasir.io.ExactLengthChannel;
import dev.kvasir.json.Json;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a safetensors file the way the reference implementation lays it out: compact JSON header with
 * {@code __metadata__} first (when there is any), padded with spaces to a multiple of 8 bytes, then the tensors'
 * data back to back in the order they were added. Data comes from segments or streaming {@link ByteSource}s;
 * {@link #write} is atomic.
 */
public final class SafetensorsWriter {
    private record Pending(String name, SafetensorsDType dtype, long[] shape, long byteSize, ByteSource source) {}

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, Pending> tensors = new LinkedHashMap<>();

    public SafetensorsWriter putMetadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public SafetensorsWriter addTensor(String name, SafetensorsDType dtype, long[] shape, MemorySegment data) {
        long size = byteSize(name, dtype, shape);
        if (data.byteSize() != size) {
            throw new IllegalArgumentException("tensor '" + name + "' needs " + size + " bytes of data, got " + data.byteSize());
        }
        return add(new Pending(name, dtype, shape.clone(), size, ByteSource.of(data)));
    }

    /** Adds a tensor whose bytes (exactly its byte size) are streamed by {@code source} when the file is written. */
    public SafetensorsWriter addTensor(String name, SafetensorsDType dtype, long[] shape, ByteSource source) {
        return add(new Pending(name, dtype, shape.clone(), byteSize(name, dtype, shape), source));
    }

    private SafetensorsWriter add(Pending p) {
        if (p.name().equals(SafetensorsHeader.METADATA_KEY) || tensors.putIfAbsent(p.name(), p) != null) {
            throw new IllegalArgumentException("duplicate or reserved tensor name '" + p.name() + "'");
        }
        return this;
    }

    private static long byteSize(String name, SafetensorsDType dtype, long[] shape) {
        long n = dtype.byteSize();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public void write(Path path) {
        try {
            AtomicFile.write(path, this::writeTo);
        } catch (IOException e) {
            throw new SafetensorsException(path + ": cannot write safetensors file (" + e + ")", e);
        }
    }

    private void writeTo(WritableByteChannel out) throws IOException {
        byte[] header = header();
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
        ByteSource.writeFully(out, length);
        ByteSource.writeFully(out, ByteBuffer.wrap(header));
        for (Pending p : tensors.values()) {
            ExactLengthChannel.write(out, p.byteSize(), "tensor '" + p.name() + "'", p.source());
        }
    }

    /** The JSON header, padded with spaces so that the data starts 8-byte aligned. */
    private byte[] header() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            json.put(SafetensorsHeader.METADATA_KEY, metadata);
        }
        long offset = 0;
        for (Pending p : tensors.values()) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", p.dtype().name());
            info.put("shape", p.shape());
            info.put("data_offsets", List.of(offset, offset + p.byteSize()));
            json.put(p.name(), info);
            offset += p.byteSize();
        }
        byte[] text = Json.write(json).getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(text, (text.length + 7) / 8 * 8);
        Arrays.fill(padded, text.length, padded.length, (byte) ' ');
        return padded;
    }
}
