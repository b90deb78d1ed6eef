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
final class Q4_0Matrix extends RowByRowMatrix {
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

    /**
     * One row at a time: a four-row version of this loop exceeds C2's inlining node budget and runs
     * several times slower. Within a block the canonical order takes the low nibbles (elements 0-15)
     * before the high ones (16-31).
     */
    @Override
    float dot(int row, float[] x) {
        long base = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < cols / BLOCK; b++) {
            long block = base + (long) b * BLOCK_BYTES;
            float d = scale(block);
            int xb = b * BLOCK;
            for (int i = 0; i < HALF; i += BL) {
                ByteVector qs = quants(block, i);
                for (int p = 0; p < B_PARTS; p++) {
                    acc = low(qs, p, d).fma(FloatVector.fromArray(F, x, xb + i + p * L), acc);
                }
            }
            for (int i = 0; i < HALF; i += BL) {
                ByteVector qs = quants(block, i);
                for (int p = 0; p < B_PARTS; p++) {
                    acc = high(qs, p, d).fma(FloatVector.fromArray(F, x, xb + HALF + i + p * L), acc);
                }
            }
        }
        return VectorOps.sumLanes(acc);
    }

    private float scale(long block) {
        return Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block));
    }

    private ByteVector quants(long block, int i) {
        return ByteVector.fromMemorySegment(B, data, block + 2 + i, ByteOrder.LITTLE_ENDIAN);
    }

    /** Part {@code p} of the low nibbles of {@code qs} (elements 0-15 of the block), decoded. */
    private static FloatVector low(ByteVector qs, int p, float d) {
        return Kernels.toFloat(Kernels.widen(qs, p).and(0x0F).sub(8)).mul(d);
    }

    /** Part {@code p} of the high nibbles of {@code qs} (elements 16-31 of the block), decoded. */
    private static FloatVector high(ByteVector qs, int p, float d) {
        return Kernels.toFloat(Kernels.highNibble(Kernels.widen(qs, p)).sub(8)).mul(d);
    }

    @Override
    void decodeBlocks(int row, int first, int end, float[] dst, int dstOffset) {
        long base = row * rowBytes;
        for (int b = first; b < end; b++) {
            long block = base + (long) b * BLOCK_BYTES;
            float d = scale(block);
            int out = dstOffset + (b - first) * BLOCK;
            for (int i = 0; i < HALF; i += BL) {
                ByteVector qs = quants(block, i);
                for (int p = 0; p < B_PARTS; p++) {
                    low(qs, p, d).intoArray(dst, out + i + p * L);
                    high(qs, p, d).intoArray(dst, out + HALF + i + p * L);
                }
            }
        }
    }
}
