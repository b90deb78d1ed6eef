package dev.kvasir.tensor;

import static dev.kvasir.tensor.Kernels.B;
import static dev.kvasir.tensor.Kernels.BL;
import static dev.kvasir.tensor.Kernels.B_PARTS;
import static dev.kvasir.tensor.Kernels.F;
import static dev.kvasir.tensor.Kernels.L;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * ggml block_q5_1, 32 elements in 24 bytes: f16 d, f16 m, a 32-bit qh, 16 bytes of nibbles; the
 * fifth bits as in Q5_0; value = d * q + m.
 */
final class Q5_1Matrix extends RowByRowMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 24;
    private static final int HALF = BLOCK / 2;

    Q5_1Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q5_1;
    }

    /** Nibbles plus 16 * their fifth bit (bit {@code element} of qh onwards). */
    private static FloatVector quant(IntVector nibbles, int qh, int element) {
        return Kernels.toFloat(nibbles.or(Kernels.fifthBits(qh, element)));
    }

    /** One row at a time, like Q4_0; per block the low nibbles (elements 0-15) before the high ones. */
    @Override
    float dot(int row, float[] x) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < cols / BLOCK; b++) {
            long block = row * rowBytes + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block));
            float m = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block + 2));
            int qh = data.get(JAVA_INT_UNALIGNED, block + 4);
            int xb = b * BLOCK;
            for (int i = 0; i < HALF; i += BL) {
                ByteVector qs = quants(block, i);
                for (int p = 0; p < B_PARTS; p++) {
                    int e = i + p * L;
                    acc = weights(Kernels.widen(qs, p).and(0x0F), qh, e, d, m).fma(FloatVector.fromArray(F, x, xb + e), acc);
                }
            }
            for (int i = 0; i < HALF; i += BL) {
                ByteVector qs = quants(block, i);
                for (int p = 0; p < B_PARTS; p++) {
                    int e = HALF + i + p * L;
                    acc = weights(Kernels.highNibble(Kernels.widen(qs, p)), qh, e, d, m).fma(FloatVector.fromArray(F, x, xb + e), acc);
                }
            }
        }
        return VectorOps.sumLanes(acc);
    }

    private ByteVector quants(long block, int i) {
        return ByteVector.fromMemorySegment(B, data, block + 8 + i, ByteOrder.LITTLE_ENDIAN);
    }

    /** Elements {@code element..} decoded from their nibbles: the one definition both decode paths use. */
    private static FloatVector weights(IntVector nibbles, int qh, int element, float d, float m) {
        return quant(nibbles, qh, element).mul(d).add(m);
    }

    @Override
    void decodeBlocks(int row, int first, int end, float[] dst, int dstOffset) {
        for (int b = first; b < end; b++) {
            long block = row * rowBytes + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block));
            float m = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block + 2));
            int qh = data.get(JAVA_INT_UNALIGNED, block + 4);
            int out = dstOffset + (b - first) * BLOCK;
            for (int i = 0; i < HALF; i += BL) {
                ByteVector qs = quants(block, i);
                for (int p = 0; p < B_PARTS; p++) {
                    int e = i + p * L;
                    IntVector q = Kernels.widen(qs, p);
                    weights(q.and(0x0F), qh, e, d, m).intoArray(dst, out + e);
                    weights(Kernels.highNibble(q), qh, HALF + e, d, m).intoArray(dst, out + HALF + e);
                }
            }
        }
    }
}
