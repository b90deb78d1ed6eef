package dev.kvasir.tensor;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

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

    /**
     * For all eight sub-blocks at once: dm[at + 2s] = d * scale(s), dm[at + 2s + 1] = dmin * min(s), the
     * same values as {@link #scaleMin}, from two wide reads (fused kernels decode these per row, where
     * byte-by-byte reads cost as much as the dot product).
     */
    static void scalesAndMins(MemorySegment data, long scales, float d, float dmin, float[] dm, int at) {
        long lo = data.get(LE_LONG, scales);
        int hi = data.get(LE_INT, scales + 8);
        for (int j = 0; j < 4; j++) {
            int b0 = (int) (lo >>> (8 * j)) & 0xFF;
            int b4 = (int) (lo >>> (8 * j + 32)) & 0xFF;
            int b8 = (hi >>> (8 * j)) & 0xFF;
            dm[at + 2 * j] = d * (b0 & 63);
            dm[at + 2 * j + 1] = dmin * (b4 & 63);
            dm[at + 2 * j + 8] = d * ((b8 & 0xF) | (b0 >> 6) << 4);
            dm[at + 2 * j + 9] = dmin * ((b8 >> 4) | (b4 >> 6) << 4);
        }
    }

    private static final java.lang.foreign.ValueLayout.OfLong LE_LONG = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfInt LE_INT = JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

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
