package dev.kvasir.tensor;

import static dev.kvasir.tensor.Kernels.B;
import static dev.kvasir.tensor.Kernels.BL;
import static dev.kvasir.tensor.Kernels.B_PARTS;
import static dev.kvasir.tensor.Kernels.F;
import static dev.kvasir.tensor.Kernels.L;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml block_q4_K, 256 elements in 144 bytes: f16 d, f16 dmin, 12 bytes of packed 6-bit sub-block
 * scales and mins ({@link KScales}), 128 bytes of nibbles. Each 64 elements use 32 bytes of qs: low
 * nibbles are the first 32 elements (scale/min 2j), high nibbles the next 32 (scale/min 2j+1);
 * value = d * scale * q - dmin * min.
 */
final class Q4_KMatrix extends RowByRowMatrix {
    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 144;

    Q4_KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    /**
     * One row at a time, in element order: within a 64-element group the low nibbles of its 32 bytes
     * come first, then the high nibbles (bytes read twice, from L1). Measured: 1.5x faster than two
     * rows per pass with one flat loop, whose variable nibble shift and index arithmetic cost more
     * than the second FMA chain gains.
     */
    @Override
    float dot(int row, float[] x) {
        long w = row * rowBytes;
        float[] dm = Scratch.scales(cols / 16);
        for (int sb = 0; sb < cols / BLOCK; sb++) {
            scalesAndMins(w + (long) sb * BLOCK_BYTES, dm, 16 * sb);
        }
        FloatVector acc = FloatVector.zero(F);
        for (int g = 0; g < cols / 64; g++) {
            long at = w + (long) (g >> 2) * BLOCK_BYTES + 16 + 32 * (g & 3);
            float d1 = dm[4 * g], m1 = dm[4 * g + 1], d2 = dm[4 * g + 2], m2 = dm[4 * g + 3];
            int xg = 64 * g;
            for (int l = 0; l < 32; l += BL) {
                ByteVector q = quants(at + l);
                for (int p = 0; p < B_PARTS; p++) {
                    acc = nibbles(q, p, 0, d1, m1).fma(FloatVector.fromArray(F, x, xg + l + p * L), acc);
                }
            }
            for (int l = 0; l < 32; l += BL) {
                ByteVector q = quants(at + l);
                for (int p = 0; p < B_PARTS; p++) {
                    acc = nibbles(q, p, 4, d2, m2).fma(FloatVector.fromArray(F, x, xg + 32 + l + p * L), acc);
                }
            }
        }
        return VectorOps.sumLanes(acc);
    }

    private ByteVector quants(long at) {
        return ByteVector.fromMemorySegment(B, data, at, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Part {@code p} of the nibbles of {@code q} (low: shift 0, high: shift 4), decoded as
     * scale * q - min: the one definition both decode paths use.
     */
    private static FloatVector nibbles(ByteVector q, int p, int shift, float scale, float min) {
        return Kernels.toFloat(Kernels.widen(q, p).lanewise(VectorOperators.ASHR, shift).and(0x0F)).mul(scale).sub(min);
    }

    private void scalesAndMins(long block, float[] dm, int at) {
        float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block));
        float dmin = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block + 2));
        KScales.scalesAndMins(data, block + 4, d, dmin, dm, at);
    }

    @Override
    void decodeBlocks(int row, int first, int end, float[] dst, int dstOffset) {
        for (int sb = first; sb < end; sb++) {
            long block = row * rowBytes + (long) sb * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block));
            float dmin = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block + 2));
            for (int j = 0; j < 4; j++) {
                int sm1 = KScales.scaleMin(data, block + 4, 2 * j);
                int sm2 = KScales.scaleMin(data, block + 4, 2 * j + 1);
                float d1 = d * KScales.scale(sm1);
                float m1 = dmin * KScales.min(sm1);
                float d2 = d * KScales.scale(sm2);
                float m2 = dmin * KScales.min(sm2);
                int yj = dstOffset + (sb - first) * BLOCK + 64 * j;
                for (int l = 0; l < 32; l += BL) {
                    ByteVector q = quants(block + 16 + 32 * j + l);
                    for (int p = 0; p < B_PARTS; p++) {
                        nibbles(q, p, 0, d1, m1).intoArray(dst, yj + l + p * L);
                        nibbles(q, p, 4, d2, m2).intoArray(dst, yj + 32 + l + p * L);
                    }
                }
            }
        }
    }
}
