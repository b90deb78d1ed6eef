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
 * ggml block_q5_K, 256 elements in 176 bytes: Q4_K's d, dmin, scales and nibbles (at offset 48) plus
 * qh[32] holding each element's fifth bit: for the 64 elements of group j, bit 2j of qh[l] belongs to
 * low-nibble element l and bit 2j+1 to high-nibble element l.
 */
final class Q5_KMatrix extends RowMatrix {
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

    /** Bit {@code bit} of each qh byte, moved to value 16. */
    private static ByteVector fifthBit(ByteVector h, int bit) {
        return h.lanewise(VectorOperators.LSHR, bit).and((byte) 1).lanewise(VectorOperators.LSHL, 4);
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
                    ByteVector q = ByteVector.fromMemorySegment(B, data, block + QS + 32 * j + l, ByteOrder.LITTLE_ENDIAN);
                    ByteVector h = ByteVector.fromMemorySegment(B, data, block + QH + l, ByteOrder.LITTLE_ENDIAN);
                    ByteVector lo = q.and((byte) 0x0F).or(fifthBit(h, 2 * j));
                    ByteVector hi = q.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F).or(fifthBit(h, 2 * j + 1));
                    for (int p = 0; p < B_PARTS; p++) {
                        ((FloatVector) lo.convertShape(VectorOperators.B2F, F, p)).mul(d1).sub(m1)
                                .intoArray(dst, yj + l + p * L);
                        ((FloatVector) hi.convertShape(VectorOperators.B2F, F, p)).mul(d2).sub(m2)
                                .intoArray(dst, yj + 32 + l + p * L);
                    }
                }
            }
        }
    }
}
