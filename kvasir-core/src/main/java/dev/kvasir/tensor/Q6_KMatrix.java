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

    @Override
    float dotRow(int row, float[] x, int xOff) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int sb = 0; sb < cols / BLOCK; sb++) {
            long block = row * rowBytes + (long) sb * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block + D));
            for (int n = 0; n < 2; n++) {
                long ql = block + 64 * n;
                long qh = block + QH + 32 * n;
                long sc = block + SCALES + 8 * n;
                int xn = xOff + sb * BLOCK + 128 * n;
                for (int l = 0; l < 32; l += BL) {
                    int is = l / 16;
                    ByteVector a = ByteVector.fromMemorySegment(B, data, ql + l, ByteOrder.LITTLE_ENDIAN);
                    ByteVector b = ByteVector.fromMemorySegment(B, data, ql + 32 + l, ByteOrder.LITTLE_ENDIAN);
                    ByteVector h = ByteVector.fromMemorySegment(B, data, qh + l, ByteOrder.LITTLE_ENDIAN);
                    ByteVector q1 = quant(a.and((byte) 0x0F), h, 0);
                    ByteVector q2 = quant(b.and((byte) 0x0F), h, 2);
                    ByteVector q3 = quant(a.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F), h, 4);
                    ByteVector q4 = quant(b.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F), h, 6);
                    float s1 = d * data.get(JAVA_BYTE, sc + is);
                    float s2 = d * data.get(JAVA_BYTE, sc + is + 2);
                    float s3 = d * data.get(JAVA_BYTE, sc + is + 4);
                    float s4 = d * data.get(JAVA_BYTE, sc + is + 6);
                    for (int p = 0; p < B_PARTS; p++) {
                        int xi = xn + l + p * L;
                        acc0 = weights(q1, p, s1).fma(FloatVector.fromArray(F, x, xi), acc0);
                        acc1 = weights(q2, p, s2).fma(FloatVector.fromArray(F, x, xi + 32), acc1);
                        acc0 = weights(q3, p, s3).fma(FloatVector.fromArray(F, x, xi + 64), acc0);
                        acc1 = weights(q4, p, s4).fma(FloatVector.fromArray(F, x, xi + 96), acc1);
                    }
                }
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    /** Joins a nibble with its two high bits (at {@code shift} in qh) and removes the offset of 32. */
    private static ByteVector quant(ByteVector nibble, ByteVector h, int shift) {
        ByteVector high = h.lanewise(VectorOperators.LSHR, shift).and((byte) 3).lanewise(VectorOperators.LSHL, 4);
        return nibble.or(high).sub((byte) 32);
    }

    private static FloatVector weights(ByteVector q, int part, float scale) {
        return ((FloatVector) q.convertShape(VectorOperators.B2F, F, part)).mul(scale);
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset) {
        for (int sb = 0; sb < cols / BLOCK; sb++) {
            long block = row * rowBytes + (long) sb * BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(JAVA_SHORT_UNALIGNED, block + D));
            for (int n = 0; n < 2; n++) {
                long ql = block + 64 * n;
                long qh = block + QH + 32 * n;
                long sc = block + SCALES + 8 * n;
                int yn = dstOffset + sb * BLOCK + 128 * n;
                for (int l = 0; l < 32; l += BL) {
                    int is = l / 16;
                    ByteVector a = ByteVector.fromMemorySegment(B, data, ql + l, ByteOrder.LITTLE_ENDIAN);
                    ByteVector b = ByteVector.fromMemorySegment(B, data, ql + 32 + l, ByteOrder.LITTLE_ENDIAN);
                    ByteVector h = ByteVector.fromMemorySegment(B, data, qh + l, ByteOrder.LITTLE_ENDIAN);
                    ByteVector q1 = quant(a.and((byte) 0x0F), h, 0);
                    ByteVector q2 = quant(b.and((byte) 0x0F), h, 2);
                    ByteVector q3 = quant(a.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F), h, 4);
                    ByteVector q4 = quant(b.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F), h, 6);
                    float s1 = d * data.get(JAVA_BYTE, sc + is);
                    float s2 = d * data.get(JAVA_BYTE, sc + is + 2);
                    float s3 = d * data.get(JAVA_BYTE, sc + is + 4);
                    float s4 = d * data.get(JAVA_BYTE, sc + is + 6);
                    for (int p = 0; p < B_PARTS; p++) {
                        int yi = yn + l + p * L;
                        weights(q1, p, s1).intoArray(dst, yi);
                        weights(q2, p, s2).intoArray(dst, yi + 32);
                        weights(q3, p, s3).intoArray(dst, yi + 64);
                        weights(q4, p, s4).intoArray(dst, yi + 96);
                    }
                }
            }
        }
    }
}
