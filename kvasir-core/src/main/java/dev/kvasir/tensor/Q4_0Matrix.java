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
 * ggml block_q4_0: per 32 elements an f16 scale d then 16 bytes qs; element j (0..15) is the low
 * nibble of qs[j] minus 8, element j + 16 the high nibble minus 8, both times d.
 */
final class Q4_0Matrix extends RowMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 18;
    private static final int HALF = BLOCK / 2;

    Q4_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    float dotRow(int row, float[] x, int xOff) {
        long base = row * rowBytes;
        int blocks = cols / BLOCK;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            long block = base + (long) b * BLOCK_BYTES;
            int xb = xOff + b * BLOCK;
            FloatVector blockSum = FloatVector.zero(F);
            for (int i = 0; i < HALF; i += BL) {
                ByteVector qs = ByteVector.fromMemorySegment(B, data, block + 2 + i, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < B_PARTS; p++) {
                    IntVector q = Kernels.widen(qs, p);
                    FloatVector lf = Kernels.toFloat(q.and(0x0F).sub(8));
                    FloatVector hf = Kernels.toFloat(Kernels.highNibble(q).sub(8));
                    blockSum = lf.fma(FloatVector.fromArray(F, x, xb + i + p * L), blockSum);
                    blockSum = hf.fma(FloatVector.fromArray(F, x, xb + HALF + i + p * L), blockSum);
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
            for (int i = 0; i < HALF; i += BL) {
                ByteVector qs = ByteVector.fromMemorySegment(B, data, block + 2 + i, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < B_PARTS; p++) {
                    IntVector q = Kernels.widen(qs, p);
                    Kernels.toFloat(q.and(0x0F).sub(8)).mul(d).intoArray(dst, out + i + p * L);
                    Kernels.toFloat(Kernels.highNibble(q).sub(8)).mul(d).intoArray(dst, out + HALF + i + p * L);
                }
            }
        }
    }
}
