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
 * ggml block_q5_0, 32 elements in 22 bytes: f16 d, a 32-bit qh, 16 bytes of nibbles laid out as in
 * Q4_0. Element j's fifth bit is bit j of qh (j + 16: bit j + 16); value = d * (q - 16).
 * Also used by llama.cpp's K-quant mixes for rows whose length is not a multiple of 256.
 */
final class Q5_0Matrix extends RowMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 22;
    private static final int HALF = BLOCK / 2;

    Q5_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q5_0;
    }

    /** Nibbles plus 16 * their fifth bit (bit {@code element} of qh onwards), minus 16. */
    private static FloatVector quant(IntVector nibbles, int qh, int element) {
        return Kernels.toFloat(nibbles.or(Kernels.fifthBits(qh, element)).sub(16));
    }

    @Override
    void decodeBlocks(int row, int first, int end, float[] dst, int dstOffset) {
        for (int b = first; b < end; b++) {
            long block = row * rowBytes + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block));
            int qh = data.get(JAVA_INT_UNALIGNED, block + 2);
            int out = dstOffset + (b - first) * BLOCK;
            for (int i = 0; i < HALF; i += BL) {
                ByteVector qs = ByteVector.fromMemorySegment(B, data, block + 6 + i, ByteOrder.LITTLE_ENDIAN);
                for (int p = 0; p < B_PARTS; p++) {
                    int e = i + p * L;
                    IntVector q = Kernels.widen(qs, p);
                    IntVector lo = q.and(0x0F);
                    IntVector hi = Kernels.highNibble(q);
                    quant(lo, qh, e).mul(d).intoArray(dst, out + e);
                    quant(hi, qh, HALF + e).mul(d).intoArray(dst, out + HALF + e);
                }
            }
        }
    }
}
