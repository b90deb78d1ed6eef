package dev.kvasir.tensor;

import static dev.kvasir.tensor.Kernels.F;
import static dev.kvasir.tensor.Kernels.L;
import static dev.kvasir.tensor.Kernels.S;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;

/** bfloat16: the upper 16 bits of a float. */
final class BF16Matrix extends RowMatrix {
    BF16Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    float dotRow(int row, float[] x, int xOff) {
        long base = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = cols - L; i <= bound; i += L) {
            ShortVector h = ShortVector.fromMemorySegment(S, data, base + 2L * i, ByteOrder.LITTLE_ENDIAN);
            acc = Kernels.bf16ToFloat(h).fma(FloatVector.fromArray(F, x, xOff + i), acc);
        }
        float sum = VectorOps.sumLanes(acc);
        for (; i < cols; i++) {
            sum += Float.intBitsToFloat(data.get(JAVA_SHORT_UNALIGNED, base + 2L * i) << 16) * x[xOff + i];
        }
        return sum;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset) {
        long base = row * rowBytes;
        int i = 0;
        for (int bound = cols - L; i <= bound; i += L) {
            ShortVector h = ShortVector.fromMemorySegment(S, data, base + 2L * i, ByteOrder.LITTLE_ENDIAN);
            Kernels.bf16ToFloat(h).intoArray(dst, dstOffset + i);
        }
        for (; i < cols; i++) {
            dst[dstOffset + i] = Float.intBitsToFloat(data.get(JAVA_SHORT_UNALIGNED, base + 2L * i) << 16);
        }
    }
}
