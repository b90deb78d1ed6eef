package dev.kvasir.tensor;

import static dev.kvasir.tensor.Kernels.F;
import static dev.kvasir.tensor.Kernels.L;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

/** Plain little-endian floats. */
final class F32Matrix extends RowMatrix {
    F32Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    float dotRow(int row, float[] x, int xOff) {
        long base = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (int bound = cols - 2 * L; i <= bound; i += 2 * L) {
            acc0 = load(base, i).fma(FloatVector.fromArray(F, x, xOff + i), acc0);
            acc1 = load(base, i + L).fma(FloatVector.fromArray(F, x, xOff + i + L), acc1);
        }
        for (int bound = cols - L; i <= bound; i += L) {
            acc0 = load(base, i).fma(FloatVector.fromArray(F, x, xOff + i), acc0);
        }
        float sum = VectorOps.sumLanes(acc0.add(acc1));
        for (; i < cols; i++) {
            sum += data.get(JAVA_FLOAT_UNALIGNED, base + 4L * i) * x[xOff + i];
        }
        return sum;
    }

    private FloatVector load(long base, int i) {
        return FloatVector.fromMemorySegment(F, data, base + 4L * i, ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset) {
        MemorySegment.copy(data, JAVA_FLOAT_UNALIGNED, row * rowBytes, dst, dstOffset, cols);
    }
}
