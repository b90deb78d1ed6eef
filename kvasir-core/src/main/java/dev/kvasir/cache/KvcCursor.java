package dev.kvasir.cache;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Bounds-checked little-endian reads from a mapped .kvc file; running past the limit means corruption. */
final class KvcCursor {
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A structural problem in the bytes: the caller decides whether that is a torn tail or a refusal. */
    static final class Corrupt extends Exception {
        Corrupt(String message) {
            super(message, null, false, false);
        }
    }

    final MemorySegment data;
    long pos;
    final long limit;

    KvcCursor(MemorySegment data, long pos, long limit) {
        this.data = data;
        this.pos = pos;
        this.limit = limit;
    }

    long remaining() {
        return limit - pos;
    }

    void need(long bytes, String what) throws Corrupt {
        if (bytes < 0 || bytes > remaining()) {
            throw new Corrupt(what + " at offset " + pos + " runs past the end of its record");
        }
    }

    int i32(String what) throws Corrupt {
        need(4, what);
        int v = data.get(I32, pos);
        pos += 4;
        return v;
    }

    long i64(String what) throws Corrupt {
        need(8, what);
        long v = data.get(I64, pos);
        pos += 8;
        return v;
    }

    String string(String what) throws Corrupt {
        int length = i32(what);
        need(length, what);
        byte[] b = data.asSlice(pos, length).toArray(ValueLayout.JAVA_BYTE);
        pos += length;
        return new String(b, StandardCharsets.UTF_8);
    }

    int[] ints(int count, String what) throws Corrupt {
        need(4L * count, what);
        int[] v = new int[count];
        MemorySegment.copy(data, I32, pos, v, 0, count);
        pos += 4L * count;
        return v;
    }

    boolean matches(byte[] magic) {
        if (remaining() < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, pos + i) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** CRC32C of bytes {@code [from, to)}. */
    int crc(long from, long to) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(data.asSlice(from, to - from).asByteBuffer());
        return (int) crc.getValue();
    }
}
