package dev.kvasir.gguf;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;

/** Encodes GGUF header fields little-endian into memory; the inverse of {@link GgufCursor}. */
final class GgufEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    private final byte[] scratch = new byte[8];

    GgufEncoder le(int size, long value) {
        for (int i = 0; i < size; i++) {
            scratch[i] = (byte) (value >>> (8 * i));
        }
        out.write(scratch, 0, size);
        return this;
    }

    GgufEncoder raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    GgufEncoder string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return le(8, bytes.length).raw(bytes);
    }

    GgufEncoder zeros(long n) {
        for (long i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    /** A value of {@code type}, already checked by {@link GgufValues#check}. */
    GgufEncoder value(GgufValueType type, Object value) {
        return switch (type) {
            case UINT8, INT8 -> le(1, (Integer) value);
            case UINT16, INT16 -> le(2, (Integer) value);
            case UINT32 -> le(4, (Long) value);
            case INT32 -> le(4, (Integer) value);
            case UINT64, INT64 -> le(8, (Long) value);
            case FLOAT32 -> le(4, Float.floatToRawIntBits((Float) value));
            case FLOAT64 -> le(8, Double.doubleToRawLongBits((Double) value));
            case BOOL -> le(1, (Boolean) value ? 1 : 0);
            case STRING -> string((String) value);
            case ARRAY -> array((GgufArray) value);
        };
    }

    private GgufEncoder array(GgufArray array) {
        le(4, array.elementType().id()).le(8, array.length());
        switch (array.values()) {
            // typed loops for the big vocabulary arrays; reflection for the rest
            case String[] strings -> {
                for (String s : strings) {
                    string(s);
                }
            }
            case float[] floats -> {
                for (float f : floats) {
                    le(4, Float.floatToRawIntBits(f));
                }
            }
            default -> {
                for (int i = 0; i < array.length(); i++) {
                    value(array.elementType(), Array.get(array.values(), i));
                }
            }
        }
        return this;
    }

    long size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
