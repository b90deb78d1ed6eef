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

/** ggml block_q8_0: per 32 elements an f16 scale d then 32 int8 qs; value = d * q. */
final class Q8_0Matrix extends RowMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 34;

    Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    void dot4(int row, float[] x, float[] out) {
        long w0 = row * rowBytes, w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int b = 0; b < cols / BLOCK; b++) {
            long off = (long) b * BLOCK_BYTES;
            float d0 = scale(w0 + off), d1 = scale(w1 + off), d2 = scale(w2 + off), d3 = scale(w3 + off);
            for (int i = 0; i < BLOCK; i += BL) {
                ByteVector q0 = quants(w0 + off, i), q1 = quants(w1 + off, i);
                ByteVector q2 = quants(w2 + off, i), q3 = quants(w3 + off, i);
                for (int p = 0; p < B_PARTS; p++) {
                    FloatVector v = FloatVector.fromArray(F, x, b * BLOCK + i + p * L);
                    a0 = weights(q0, p, d0).fma(v, a0);
                    a1 = weights(q1, p, d1).fma(v, a1);
                    a2 = weights(q2, p, d2).fma(v, a2);
                    a3 = weights(q3, p, d3).fma(v, a3);
                }
            }
        }
        out[row] = VectorOps.sumLanes(a0);
        out[row + 1] = VectorOps.sumLanes(a1);
        out[row + 2] = VectorOps.sumLanes(a2);
        out[row + 3] = VectorOps.sumLanes(a3);
    }

    private float scale(long block) {
        return Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block));
    }

    private ByteVector quants(long block, int i) {
        return ByteVector.fromMemorySegment(B, data, block + 2 + i, ByteOrder.LITTLE_ENDIAN);
    }

    /** The decoded weights of part {@code p} of {@code q}: the one definition both decode paths use. */
    private static FloatVector weights(ByteVector q, int p, float d) {
        return ((FloatVector) q.convertShape(VectorOperators.B2F, F, p)).mul(d);
    }

    @Override
    void decodeBlocks(int row, int first, int end, float[] dst, int dstOffset) {
        long base = row * rowBytes;
        for (int b = first; b < end; b++) {
            long block = base + (long) b * BLOCK_BYTES;
            float d = scale(block);
            int out = dstOffset + (b - first) * BLOCK;
            for (int i = 0; i < BLOCK; i += BL) {
                ByteVector q = quants(block, i);
                for (int p = 0; p < B_PARTS; p++) {
                    weights(q, p, d).intoArray(dst, out + i + p * L);
                }
            }
        }
    }
}
