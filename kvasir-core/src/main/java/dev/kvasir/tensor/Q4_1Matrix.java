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

/**
 * ggml block_q4_1: per 32 elements f16 d, f16 m, then 16 bytes of nibbles laid out as in Q4_0
 * (low nibbles first half, high nibbles second half); value = q * d + m.
 */
final class Q4_1Matrix extends RowByRowMatrix {
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

    /** One row at a time, like Q4_0; per block the low nibbles (elements 0-15) before the high ones. */
    @Override
    float dot(int row, float[] x) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < cols / BLOCK; b++) {
            long block = row * rowBytes + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block));
            float m = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block + 2));
            int xb = b * BLOCK;
            for (int i = 0; i < HALF; i += BL) {
                ByteVector qs = quants(block, i);
                for (int p = 0; p < B_PARTS; p++) {
                    acc = low(qs, p, d, m).fma(FloatVector.fromArray(F, x, xb + i + p * L), acc);
                }
            }
            for (int i = 0; i < HALF; i += BL) {
                ByteVector qs = quants(block, i);
                for (int p = 0; p < B_PARTS; p++) {
                    acc = high(qs, p, d, m).fma(FloatVector.fromArray(F, x, xb + HALF + i + p * L), acc);
                }
            }
        }
        return VectorOps.sumLanes(acc);
    }

    private ByteVector quants(long block, int i) {
        return ByteVector.fromMemorySegment(B, data, block + 4 + i, ByteOrder.LITTLE_ENDIAN);
    }

    /** Part {@code p} of the low nibbles of {@code qs} (elements 0-15 of the block), decoded. */
    private static FloatVector low(ByteVector qs, int p, float d, float m) {
        return Kernels.toFloat(Kernels.widen(qs, p).and(0x0F)).mul(d).add(m);
    }

    /** Part {@code p} of the high nibbles of {@code qs} (elements 16-31 of the block), decoded. */
    private static FloatVector high(ByteVector qs, int p, float d, float m) {
        return Kernels.toFloat(Kernels.highNibble(Kernels.widen(qs, p))).mul(d).add(m);
    }

    @Override
    void decodeBlocks(int row, int first, int end, float[] dst, int dstOffset) {
        for (int b = first; b < end; b++) {
            long block = row * rowBytes + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block));
            float m = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block + 2));
            int out = dstOffset + (b - first) * BLOCK;
            for (int i = 0; i < HALF; i += BL) {
                ByteVector qs = quants(block, i);
                for (int p = 0; p < B_PARTS; p++) {
                    low(qs, p, d, m).intoArray(dst, out + i + p * L);
                    high(qs, p, d, m).intoArray(dst, out + HALF + i + p * L);
                }
            }
        }
    }
}
