package dev.kvasir.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian reads from a GGUF header with bounds checks, so that a truncated or corrupt file gives a
 * {@link GgufException} naming the file and the field being read instead of a buffer exception.
 */
final class GgufCursor {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;
    private final String file;
    private long position;

    GgufCursor(MemorySegment segment, String file) {
        this.segment = segment;
        this.file = file;
    }

    long position() {
        return position;
    }

    long remaining() {
        return segment.byteSize() - position;
    }

    GgufException error(String problem) {
        return new GgufException(file + ": " + problem);
    }

    private long take(long n, String what) {
        if (n > remaining()) {
            throw error("truncated file: " + what + " at offset " + position + " needs " + n + " bytes but only "
                    + remaining() + " remain; the download or conversion was probably cut short");
        }
        long at = position;
        position += n;
        return at;
    }

    byte i8(String what) {
        return segment.get(ValueLayout.JAVA_BYTE, take(1, what));
    }

    short i16(String what) {
        return segment.get(I16, take(2, what));
    }

    int i32(String what) {
        return segment.get(I32, take(4, what));
    }

    long i64(String what) {
        return segment.get(I64, take(8, what));
    }

    /** A count stored as uint64; refuses values the rest of the file cannot hold, before anything is allocated. */
    int count(String what, int minBytesEach) {
        return checkedCount("", what, minBytesEach);
    }

    private int checkedCount(String prefix, String what, int minBytesEach) {
        long n = i64(prefix + what);
        if (n < 0 || n > Integer.MAX_VALUE - 8 || n * (long) minBytesEach > remaining()) {
            throw error("truncated or corrupt file: " + prefix + what + " is " + Long.toUnsignedString(n) + " at offset "
                    + (position - 8) + ", more than the remaining " + remaining() + " bytes can hold");
        }
        return (int) n;
    }

    /**
     * A uint64-length-prefixed UTF-8 string. Invalid UTF-8 is replaced rather than refused: llama.cpp does not
     * validate it either, and a model with one odd vocabulary entry should still load.
     */
    String string(String what) {
        int length = checkedCount("length of ", what, 1);
        byte[] bytes = segment.asSlice(take(length, what), length).toArray(ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
