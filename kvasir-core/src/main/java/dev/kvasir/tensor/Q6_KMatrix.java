package dev.kvasir.tensor;

import static dev.kvasir.tensor.Kernels.B;
import static dev.kvasir.tensor.Kernels.BL;
import static dev.kvasir.tensor.Kernels.B_PARTS;
import static dev.kvasir.tensor.Kernels.F;
import static dev.kvasir.tensor.Kernels.L;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * ggml block_q6_K, 256 elements in 210 bytes: ql[128] low nibbles, qh[64] 2-bit high parts, 16 int8
 * sub-block scales (one per 16 elements), f16 d last; value = d * scale * (q - 32). Each half of 128
 * elements uses 64 bytes of ql and 32 of qh: element l (0..31) takes the low nibble of ql[l] and bits
 * 0-1 of qh[l]; l+32: low nibble of ql[l+32], bits 2-3; l+64: high nibble of ql[l], bits 4-5;
 * l+96: high nibble of ql[l+32], bits 6-7.
 */
final class Q6_KMatrix extends RowMatrix {
    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 210;
    private static final int QH = 128;
    private static final int SCALES = 192;
    private static final int D = 208;

    Q6_KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    /**
     * scale * (q - 32), where q joins a nibble with the two qh bits that {@code high} holds at bits 4-5
     * (the caller shifts qh so that the wanted pair lands there).
     */
    private static FloatVector weights(IntVector nibble, IntVector high, float scale) {
        return Kernels.toFloat(nibble.or(high.and(0x30)).sub(32)).mul(scale);
    }

    @Override
    void decodeBlocks(int row, int first, int end, float[] dst, int dstOffset) {
        for (int sb = first; sb < end; sb++) {
            long block = row * rowBytes + (long) sb * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block + D));
            for (int n = 0; n < 2; n++) {
                long ql = block + 64 * n;
                long qh = block + QH + 32 * n;
                long sc = block + SCALES + 8 * n;
                int yn = dstOffset + (sb - first) * BLOCK + 128 * n;
                for (int l = 0; l < 32; l += BL) {
                    int is = l / 16;
                    ByteVector a = ByteVector.fromMemorySegment(B, data, ql + l, ByteOrder.LITTLE_ENDIAN);
                    ByteVector b = ByteVector.fromMemorySegment(B, data, ql + 32 + l, ByteOrder.LITTLE_ENDIAN);
                    ByteVector h = ByteVector.fromMemorySegment(B, data, qh + l, ByteOrder.LITTLE_ENDIAN);
                    float s1 = d * data.get(JAVA_BYTE, sc + is);
                    float s2 = d * data.get(JAVA_BYTE, sc + is + 2);
                    float s3 = d * data.get(JAVA_BYTE, sc + is + 4);
                    float s4 = d * data.get(JAVA_BYTE, sc + is + 6);
                    for (int p = 0; p < B_PARTS; p++) {
                        int yi = yn + l + p * L;
                        IntVector ai = Kernels.widen(a, p);
                        IntVector bi = Kernels.widen(b, p);
                        IntVector hi = Kernels.widen(h, p);
                        weights(ai.and(0x0F), hi.lanewise(VectorOperators.LSHL, 4), s1).intoArray(dst, yi);
                        weights(bi.and(0x0F), hi.lanewise(VectorOperators.LSHL, 2), s2).intoArray(dst, yi + 32);
                        weights(Kernels.highNibble(ai), hi, s3).intoArray(dst, yi + 64);
                        weights(Kernels.highNibble(bi), hi.lanewise(VectorOperators.ASHR, 2), s4).intoArray(dst, yi + 96);
                    }
                }
            }
        }
    }
}
