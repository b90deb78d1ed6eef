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
    float dotRow(int row, float[] x, int xOff) {
        long base = row * rowBytes;
        int blocks = cols / BLOCK;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long block = base + (long) b * BLOCK_BYTES;
            int xb = xOff + b * BLOCK;
            // Sum q*x over the block, then scale once: one multiply by d per block instead of per element.
            FloatVector blockSum = FloatVector.zero(F);
            for (int i = 0; i < BLOCK; i += BL) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, block + 2 + i, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < B_PARTS; p++) {
                    FloatVector qf = (FloatVector) q.convertShape(VectorOperators.B2F, F, p);
                    blockSum = qf.fma(FloatVector.fromArray(F, x, xb + i + p * L), blockSum);
                }
            }
            float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block));
            acc = blockSum.fma(FloatVector.broadcast(F, d), acc);
        }
        return VectorOps.sumLanes(acc);
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset) {
        long base = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++) {
            long block = base + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block));
            int out = dstOffset + b * BLOCK;
            for (int i = 0; i < BLOCK; i += BL) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, block + 2 + i, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < B_PARTS; p++) {
                    ((FloatVector) q.convertShape(VectorOperators.B2F, F, p)).mul(d).intoArray(dst, out + i + p * L);
                }
            }
        }
    }
}
