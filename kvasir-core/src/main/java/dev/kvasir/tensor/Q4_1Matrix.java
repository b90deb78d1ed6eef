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
 * ggml block_q4_1: per 32 elements f16 d, f16 m, then 16 bytes of nibbles laid out as in Q4_0
 * (low nibbles first half, high nibbles second half); value = q * d + m.
 */
final class Q4_1Matrix extends RowMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 20;
    private static final int HALF = BLOCK / 2;

    Q4_1Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_1;
    }

    @Override
    void decodeBlocks(int row, int first, int end, float[] dst, int dstOffset) {
        for (int b = first; b < end; b++) {
            long block = row * rowBytes + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block));
            float m = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block + 2));
            int out = dstOffset + (b - first) * BLOCK;
            for (int i = 0; i < HALF; i += BL) {
                ByteVector qs = ByteVector.fromMemorySegment(B, data, block + 4 + i, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < B_PARTS; p++) {
                    IntVector q = Kernels.widen(qs, p);
                    Kernels.toFloat(q.and(0x0F)).mul(d).add(m).intoArray(dst, out + i + p * L);
                    Kernels.toFloat(Kernels.highNibble(q)).mul(d).add(m).intoArray(dst, out + HALF + i + p * L);
                }
            }
        }
    }
}
