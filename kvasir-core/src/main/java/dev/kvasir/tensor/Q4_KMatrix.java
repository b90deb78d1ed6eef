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

/**
 * ggml block_q4_K, 256 elements in 144 bytes: f16 d, f16 dmin, 12 bytes of packed 6-bit sub-block
 * scales and mins ({@link KScales}), 128 bytes of nibbles. Each 64 elements use 32 bytes of qs: low
 * nibbles are the first 32 elements (scale/min 2j), high nibbles the next 32 (scale/min 2j+1);
 * value = d * scale * q - dmin * min.
 */
final class Q4_KMatrix extends RowMatrix {
    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 144;

    Q4_KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
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
                    ByteVector q = ByteVector.fromMemorySegment(B, data, block + 16 + 32 * j + l, ByteOrder.LITTLE_ENDIAN);
                    for (int p = 0; p < B_PARTS; p++) {
                        IntVector qi = Kernels.widen(q, p);
                        IntVector lo = qi.and(0x0F);
                        IntVector hi = Kernels.highNibble(qi);
                        Kernels.toFloat(lo).mul(d1).sub(m1)
                                .intoArray(dst, yj + l + p * L);
                        Kernels.toFloat(hi).mul(d2).sub(m2)
                                .intoArray(dst, yj + 32 + l + p * L);
                    }
                }
            }
        }
    }
}
