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

    private FloatVector load(long base, int i) {
        return Kernels.bf16ToFloat(ShortVector.fromMemorySegment(S, data, base + 2L * i, ByteOrder.LITTLE_ENDIAN));
    }

    private float scalar(long base, int i) {
        return Float.intBitsToFloat(data.get(JAVA_SHORT_UNALIGNED, base + 2L * i) << 16);
    }

    /** As {@link Gemm#tailSum}, reading the weights from the mapping. */
    private float tailSum(FloatVector acc, long base, float[] x, int from) {
        float s = VectorOps.sumLanes(acc);
        for (int i = from; i < cols; i++) {
            s += scalar(base, i) * x[i];
        }
        return s;
    }

    @Override
    void decodeBlocks(int row, int first, int end, float[] dst, int dstOffset) {
        long base = row * rowBytes;
        int i = first;
        for (int bound = end - L; i <= bound; i += L) {
            load(base, i).intoArray(dst, dstOffset + i - first);
        }
        for (; i < end; i++) {
            dst[dstOffset + i - first] = scalar(base, i);
        }
    }
}
