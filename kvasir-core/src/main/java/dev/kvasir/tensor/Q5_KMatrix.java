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
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml block_q5_K, 256 elements in 176 bytes: Q4_K's d, dmin, scales and nibbles (at offset 48) plus
 * qh[32] holding each element's fifth bit: for the 64 elements of group j, bit 2j of qh[l] belongs to
 * low-nibble element l and bit 2j+1 to high-nibble element l.
 */
final class Q5_KMatrix extends RowByRowMatrix {
    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 176;
    private static final int QH = 16;
    private static final int QS = 48;

    Q5_KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    /**
     * One row at a time: two or four rows exceed C2's inlining node budget. Each step takes the
     * next {@code BL} elements in element order: sub-block s of a block is nibble half {@code s & 1}
     * of qs bytes {@code 32 * (s / 2)..} with fifth bit s of the qh bytes.
     */
    @Override
    float dot(int row, float[] x) {
        long w = row * rowBytes;
        float[] dm = Scratch.scales(cols / 16);
        for (int sb = 0; sb < cols / BLOCK; sb++) {
            scalesAndMins(w + (long) sb * BLOCK_BYTES, dm, 16 * sb);
        }
        FloatVector acc = FloatVector.zero(F);
        for (int e = 0; e < cols; e += BL) {
            long block = w + (long) (e >> 8) * BLOCK_BYTES;
            int sub = (e >> 5) & 7;
            ByteVector q = bytes(block + QS + 32 * (sub >> 1) + (e & 31));
            ByteVector h = bytes(block + QH + (e & 31));
            int s = 2 * (e >> 5);
            for (int p = 0; p < B_PARTS; p++) {
                acc = weights(q, h, p, 4 * (sub & 1), sub, dm[s], dm[s + 1]).fma(FloatVector.fromArray(F, x, e + p * L), acc);
            }
        }
        return VectorOps.sumLanes(acc);
    }

    private void scalesAndMins(long block, float[] dm, int at) {
        float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block));
        float dmin = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block + 2));
        KScales.scalesAndMins(data, block + 4, d, dmin, dm, at);
    }

    private ByteVector bytes(long at) {
        return ByteVector.fromMemorySegment(B, data, at, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Part {@code p} of scale * q - min, q = the nibble of {@code q} at {@code shift} (0 low, 4 high)
     * plus 16 * bit {@code bit} of {@code h}: the one definition both decode paths use.
     */
    private static FloatVector weights(ByteVector q, ByteVector h, int p, int shift, int bit, float scale, float min) {
        IntVector nibble = Kernels.widen(q, p).lanewise(VectorOperators.ASHR, shift).and(0x0F);
        IntVector fifth = Kernels.widen(h, p).lanewise(VectorOperators.ASHR, bit).and(1).lanewise(VectorOperators.LSHL, 4);
        return Kernels.toFloat(nibble.or(fifth)).mul(scale).sub(min);
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
                    ByteVector q = bytes(block + QS + 32 * j + l);
                    ByteVector h = bytes(block + QH + l);
                    for (int p = 0; p < B_PARTS; p++) {
                        weights(q, h, p, 0, 2 * j, d1, m1).intoArray(dst, yj + l + p * L);
                        weights(q, h, p, 4, 2 * j + 1, d2, m2).intoArray(dst, yj + 32 + l + p * L);
                    }
                }
            }
        }
    }
}
