package dev.kvasir.tensor;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/**
 * The 12-byte scale/min table of Q4_K and Q5_K: eight 6-bit scales and eight 6-bit mins, packed as in
 * ggml's get_scale_min_k4. Sub-blocks 0-3 keep their low 6 bits in bytes j and j+4; sub-blocks 4-7
 * keep their low 4 bits in byte j+4 and their top 2 bits in the spare high bits of bytes j-4 and j.
 */
final class KScales {
    private KScales() {}

    /** Scale and min of sub-block {@code j}, packed as {@code scale | min << 8}. */
    static int scaleMin(MemorySegment data, long scales, int j) {
        int sc;
        int m;
        if (j < 4) {
            sc = u8(data, scales + j) & 63;
            m = u8(data, scales + j + 4) & 63;
        } else {
            sc = (u8(data, scales + j + 4) & 0xF) | ((u8(data, scales + j - 4) >> 6) << 4);
            m = (u8(data, scales + j + 4) >> 4) | ((u8(data, scales + j) >> 6) << 4);
        }
        return sc | m << 8;
    }

    static int scale(int scaleMin) {
        return scaleMin & 0xFF;
    }

    static int min(int scaleMin) {
        return scaleMin >>> 8;
    }

    private static int u8(MemorySegment data, long offset) {
        return data.get(JAVA_BYTE, offset) & 0xFF;
    }
}
