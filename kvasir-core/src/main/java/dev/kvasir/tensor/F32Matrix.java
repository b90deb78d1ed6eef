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

    private FloatVector load(long base, int i) {
        return FloatVector.fromMemorySegment(F, data, base + 4L * i, ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    void dot4(int row, float[] x, float[] out) {
        long w0 = row * rowBytes, w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (int bound = cols - L; i <= bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            a0 = load(w0, i).fma(v, a0);
            a1 = load(w1, i).fma(v, a1);
            a2 = load(w2, i).fma(v, a2);
            a3 = load(w3, i).fma(v, a3);
        }
        out[row] = tailSum(a0, w0, x, i);
        out[row + 1] = tailSum(a1, w1, x, i);
        out[row + 2] = tailSum(a2, w2, x, i);
        out[row + 3] = tailSum(a3, w3, x, i);
    }

    /** As {@link Gemm#tailSum}, reading the weights from the mapping. */
    private float tailSum(FloatVector acc, long base, float[] x, int from) {
        float s = VectorOps.sumLanes(acc);
        for (int i = from; i < cols; i++) {
            s += data.get(JAVA_FLOAT_UNALIGNED, base + 4L * i) * x[i];
        }
        return s;
    }

    @Override
    void decodeBlocks(int row, int first, int end, float[] dst, int dstOffset) {
        MemorySegment.copy(data, JAVA_FLOAT_UNALIGNED, row * rowBytes + 4L * first, dst, dstOffset, end - first);
    }
}
