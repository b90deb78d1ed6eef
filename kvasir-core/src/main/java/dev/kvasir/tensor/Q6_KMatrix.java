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
     * Two rows per pass (two FMA chains; four rows exceed C2's inlining node budget). Each step takes
     * the next {@code BL} elements in element order, picking their ql bytes, nibble and qh bit pair.
     */
    @Override
    void dot4(int row, float[] x, float[] out) {
        dot2(row, x, out);
        dot2(row + 2, x, out);
    }

    private void dot2(int row, float[] x, float[] out) {
        long w0 = row * rowBytes, w1 = w0 + rowBytes;
        int n = cols / 16;
        float[] scales = Scratch.scales(2 * n);
        for (int sb = 0; sb < cols / BLOCK; sb++) {
            long off = (long) sb * BLOCK_BYTES;
            scales(w0 + off, scales, 16 * sb);
            scales(w1 + off, scales, n + 16 * sb);
        }
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int e = 0; e < cols; e += BL) {
            int r = e & (BLOCK - 1);
            int quarter = (r >> 5) & 3;
            int l = r & 31;
            long block = (long) (e >> 8) * BLOCK_BYTES;
            long ql = block + 64 * (r >> 7) + 32 * (quarter & 1) + l;
            long qh = block + QH + 32 * (r >> 7) + l;
            int nibbleShift = 4 * (quarter >> 1);
            int highShift = 2 * quarter;
            float s0 = scales[e >> 4], s1 = scales[n + (e >> 4)];
            ByteVector ql0 = bytes(w0 + ql), qh0 = bytes(w0 + qh);
            ByteVector ql1 = bytes(w1 + ql), qh1 = bytes(w1 + qh);
            for (int p = 0; p < B_PARTS; p++) {
                FloatVector v = FloatVector.fromArray(F, x, e + p * L);
                a0 = weights(Kernels.widen(ql0, p), Kernels.widen(qh0, p), nibbleShift, highShift, s0).fma(v, a0);
                a1 = weights(Kernels.widen(ql1, p), Kernels.widen(qh1, p), nibbleShift, highShift, s1).fma(v, a1);
            }
        }
        out[row] = VectorOps.sumLanes(a0);
        out[row + 1] = VectorOps.sumLanes(a1);
    }

    /** scales[at + i] = d * the int8 scale of sub-block i (16 elements each). */
    private void scales(long block, float[] scales, int at) {
        float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block + D));
        for (int i = 0; i < 16; i++) {
            scales[at + i] = d * data.get(JAVA_BYTE, block + SCALES + i);
        }
    }

    private ByteVector bytes(long at) {
        return ByteVector.fromMemorySegment(B, data, at, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * scale * (q - 32): q joins the nibble of {@code ql} at {@code nibbleShift} (0 low, 4 high) with
     * the two bits of {@code qh} at {@code highShift} (0, 2, 4, 6). The one definition both decode
     * paths use.
     */
    private static FloatVector weights(IntVector ql, IntVector qh, int nibbleShift, int highShift, float scale) {
        IntVector nibble = ql.lanewise(VectorOperators.ASHR, nibbleShift).and(0x0F);
        IntVector high = qh.lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.ASHR, highShift).and(0x30);
        return Kernels.toFloat(nibble.or(high).sub(32)).mul(scale);
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
                    ByteVector a = bytes(ql + l);
                    ByteVector b = bytes(ql + 32 + l);
                    ByteVector h = bytes(qh + l);
                    float s1 = d * data.get(JAVA_BYTE, sc + is);
                    float s2 = d * data.get(JAVA_BYTE, sc + is + 2);
                    float s3 = d * data.get(JAVA_BYTE, sc + is + 4);
                    float s4 = d * data.get(JAVA_BYTE, sc + is + 6);
                    for (int p = 0; p < B_PARTS; p++) {
                        int yi = yn + l + p * L;
                        IntVector ai = Kernels.widen(a, p);
                        IntVector bi = Kernels.widen(b, p);
                        IntVector hi = Kernels.widen(h, p);
                        weights(ai, hi, 0, 0, s1).intoArray(dst, yi);
                        weights(bi, hi, 0, 2, s2).intoArray(dst, yi + 32);
                        weights(ai, hi, 4, 4, s3).intoArray(dst, yi + 64);
                        weights(bi, hi, 4, 6, s4).intoArray(dst, yi + 96);
                    }
                }
            }
        }
    }
}
