package dev.kvasir.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds raw GGUF bytes by hand, so tests can produce exactly the corrupt files they need. */
final class GgufBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static GgufBytes header(int version, long tensors, long kvs) {
        return new GgufBytes().raw("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(version).u64(tensors).u64(kvs);
    }

    GgufBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    private GgufBytes le(int size, long value) {
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array(), 0, size);
        return this;
    }

    GgufBytes u8(int v) {
        return le(1, v);
    }

    GgufBytes u16(int v) {
        return le(2, v);
    }

    GgufBytes u32(long v) {
        return le(4, v);
    }

    GgufBytes u64(long v) {
        return le(8, v);
    }

    GgufBytes f32(float v) {
        return u32(Float.floatToRawIntBits(v));
    }

    GgufBytes f64(double v) {
        return u64(Double.doubleToRawLongBits(v));
    }

    GgufBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u64(b.length).raw(b);
    }

    /** A key and its value type id; the caller writes the value. */
    GgufBytes key(String key, GgufValueType type) {
        return str(key).u32(type.id());
    }

    GgufBytes tensor(String name, int typeId, long offset, long... shape) {
        str(name).u32(shape.length);
        for (long d : shape) {
            u64(d);
        }
        return u32(typeId).u64(offset);
    }

    /** Zero padding up to the next multiple of {@code alignment}. */
    GgufBytes pad(int alignment) {
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        return this;
    }

    GgufBytes zeros(int n) {
        out.writeBytes(new byte[n]);
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    Path writeTo(Path file) throws IOException {
        return Files.write(file, bytes());
    }
}
