package dev.kvasir.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Test oracle: row decoders written straight from ggml's reference dequantize_row_* functions,
 * on a plain byte array, independent of the production classes.
 */
final class GgmlReference {
    private GgmlReference() {}

    static float[] dequantize(GgmlType type, byte[] data, int rows, int cols) {
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[rows * cols];
        int n = rows * cols;
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = buf.getFloat(4 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(buf.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((buf.getShort(2 * i) & 0xFFFF) << 16);
                }
            }
            case Q8_0 -> {
                for (int i = 0; i < n / 32; i++) {
                    float d = Float.float16ToFloat(buf.getShort(34 * i));
                    for (int j = 0; j < 32; j++) {
                        out[i * 32 + j] = buf.get(34 * i + 2 + j) * d;
                    }
                }
            }
            case Q4_0 -> {
                for (int i = 0; i < n / 32; i++) {
                    float d = Float.float16ToFloat(buf.getShort(18 * i));
                    for (int j = 0; j < 16; j++) {
                        int q = buf.get(18 * i + 2 + j) & 0xFF;
                        out[i * 32 + j] = ((q & 0x0F) - 8) * d;
                        out[i * 32 + j + 16] = ((q >> 4) - 8) * d;
                    }
                }
            }
            case Q4_1 -> {
                for (int i = 0; i < n / 32; i++) {
                    float d = Float.float16ToFloat(buf.getShort(20 * i));
                    float m = Float.float16ToFloat(buf.getShort(20 * i + 2));
                    for (int j = 0; j < 16; j++) {
                        int q = buf.get(20 * i + 4 + j) & 0xFF;
                        out[i * 32 + j] = (q & 0x0F) * d + m;
                        out[i * 32 + j + 16] = (q >> 4) * d + m;
                    }
                }
            }
            case Q5_0, Q5_1 -> {
                boolean withMin = type == GgmlType.Q5_1;
                int size = withMin ? 24 : 22;
                int qsAt = withMin ? 8 : 6;
                for (int i = 0; i < n / 32; i++) {
                    float d = Float.float16ToFloat(buf.getShort(size * i));
                    float m = withMin ? Float.float16ToFloat(buf.getShort(size * i + 2)) : 0;
                    int qh = buf.getInt(size * i + qsAt - 4);
                    for (int j = 0; j < 16; j++) {
                        int xh0 = ((qh >>> j) << 4) & 0x10;
                        int xh1 = (qh >>> (j + 12)) & 0x10;
                        int q = buf.get(size * i + qsAt + j) & 0xFF;
                        int x0 = (q & 0x0F) | xh0;
                        int x1 = (q >> 4) | xh1;
                        out[i * 32 + j] = withMin ? x0 * d + m : (x0 - 16) * d;
                        out[i * 32 + j + 16] = withMin ? x1 * d + m : (x1 - 16) * d;
                    }
                }
            }
            case Q4_K -> {
                for (int i = 0; i < n / 256; i++) {
                    int x = 144 * i;
                    float d = Float.float16ToFloat(buf.getShort(x));
                    float min = Float.float16ToFloat(buf.getShort(x + 2));
                    int q = x + 16;
                    int y = 256 * i;
                    int is = 0;
                    for (int j = 0; j < 256; j += 64) {
                        int[] sm = scaleMinK4(is, data, x + 4);
                        float d1 = d * sm[0];
                        float m1 = min * sm[1];
                        sm = scaleMinK4(is + 1, data, x + 4);
                        float d2 = d * sm[0];
                        float m2 = min * sm[1];
                        for (int l = 0; l < 32; ++l) {
                            out[y++] = d1 * (data[q + l] & 0xF) - m1;
                        }
                        for (int l = 0; l < 32; ++l) {
                            out[y++] = d2 * ((data[q + l] & 0xFF) >> 4) - m2;
                        }
                        q += 32;
                        is += 2;
                    }
                }
            }
            case Q5_K -> {
                for (int i = 0; i < n / 256; i++) {
                    int x = 176 * i;
                    float d = Float.float16ToFloat(buf.getShort(x));
                    float min = Float.float16ToFloat(buf.getShort(x + 2));
                    int ql = x + 48;
                    int qh = x + 16;
                    int y = 256 * i;
                    int is = 0;
                    int u1 = 1;
                    int u2 = 2;
                    for (int j = 0; j < 256; j += 64) {
                        int[] sm = scaleMinK4(is, data, x + 4);
                        float d1 = d * sm[0];
                        float m1 = min * sm[1];
                        sm = scaleMinK4(is + 1, data, x + 4);
                        float d2 = d * sm[0];
                        float m2 = min * sm[1];
                        for (int l = 0; l < 32; ++l) {
                            out[y++] = d1 * ((data[ql + l] & 0xF) + ((data[qh + l] & u1) != 0 ? 16 : 0)) - m1;
                        }
                        for (int l = 0; l < 32; ++l) {
                            out[y++] = d2 * (((data[ql + l] & 0xFF) >> 4) + ((data[qh + l] & u2) != 0 ? 16 : 0)) - m2;
                        }
                        ql += 32;
                        is += 2;
                        u1 <<= 2;
                        u2 <<= 2;
                    }
                }
            }
            case Q6_K -> {
                for (int i = 0; i < n / 256; i++) {
                    int x = 210 * i;
                    float d = Float.float16ToFloat(buf.getShort(x + 208));
                    int ql = x;
                    int qh = x + 128;
                    int sc = x + 192;
                    int y = 256 * i;
                    for (int k = 0; k < 256; k += 128) {
                        for (int l = 0; l < 32; ++l) {
                            int is = l / 16;
                            int q1 = (byte) ((data[ql + l] & 0xF) | (((data[qh + l] >> 0) & 3) << 4)) - 32;
                            int q2 = (byte) ((data[ql + l + 32] & 0xF) | (((data[qh + l] >> 2) & 3) << 4)) - 32;
                            int q3 = (byte) (((data[ql + l] & 0xFF) >> 4) | (((data[qh + l] >> 4) & 3) << 4)) - 32;
                            int q4 = (byte) (((data[ql + l + 32] & 0xFF) >> 4) | (((data[qh + l] >> 6) & 3) << 4)) - 32;
                            out[y + l] = d * data[sc + is] * q1;
                            out[y + l + 32] = d * data[sc + is + 2] * q2;
                            out[y + l + 64] = d * data[sc + is + 4] * q3;
                            out[y + l + 96] = d * data[sc + is + 6] * q4;
                        }
                        y += 128;
                        ql += 64;
                        qh += 32;
                        sc += 8;
                    }
                }
            }
            default -> throw new IllegalArgumentException(type.toString());
        }
        return out;
    }

    /** ggml's get_scale_min_k4: {scale, min} of sub-block j from the 12-byte table at {@code q}. */
    static int[] scaleMinK4(int j, byte[] data, int q) {
        int d;
        int m;
        if (j < 4) {
            d = data[q + j] & 63;
            m = data[q + j + 4] & 63;
        } else {
            d = (data[q + j + 4] & 0xF) | (((data[q + j - 4] & 0xFF) >> 6) << 4);
            m = ((data[q + j + 4] & 0xFF) >> 4) | (((data[q + j] & 0xFF) >> 6) << 4);
        }
        return new int[] {d, m};
    }
}
