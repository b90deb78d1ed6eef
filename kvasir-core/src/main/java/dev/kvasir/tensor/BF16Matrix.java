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
    void decodeBlocks(int row, int first, int end, float[] dst, int dstOffset) {
        long base = row * rowBytes;
        int i = first;
        for (int bound = end - L; i <= bound; i += L) {
            ShortVector h = ShortVector.fromMemorySegment(S, data, base + 2L * i, ByteOrder.LITTLE_ENDIAN);
            Kernels.bf16ToFloat(h).intoArray(dst, dstOffset + i - first);
        }
        for (; i < end; i++) {
            dst[dstOffset + i - first] = Float.intBitsToFloat(data.get(JAVA_SHORT_UNALIGNED, base + 2L * i) << 16);
        }
    }
}
