package dev.kvasir.tensor;

import java.nio.ByteBuffer;

/**
 * Round-to-nearest encoders for the K-quant super-blocks of 256 elements. Sub-block scales are rounded
 * up, never down, to the 6/8-bit grid, so every sub-block's range still fits the quant levels and no
 * element is clamped by more than the min's rounding step.
 */
final class KQuantizer {
    private KQuantizer() {}

    /** Q4_K, or Q5_K when {@code fiveBits}: eight sub-blocks of 32 with 6-bit scales and mins. */
    static void q4_K(float[] x, int from, ByteBuffer out, boolean fiveBits) {
        int nmax = fiveBits ? 31 : 15;
        float[] scale = new float[8];
        float[] min = new float[8];
        float maxScale = 0;
        float maxMin = 0;
        for (int j = 0; j < 8; j++) {
            float lo = 0; // mins are stored as non-negative offsets, so the range always includes 0
            float hi = -Float.MAX_VALUE;
            for (int l = 0; l < 32; l++) {
                lo = Math.min(lo, x[from + 32 * j + l]);
                hi = Math.max(hi, x[from + 32 * j + l]);
            }
            scale[j] = (hi - lo) / nmax;
            min[j] = -lo;
            maxScale = Math.max(maxScale, scale[j]);
            maxMin = Math.max(maxMin, min[j]);
        }
        short dBits = Float.floatToFloat16(maxScale / 63);
        short dminBits = Float.floatToFloat16(maxMin / 63);
        float d = Float.float16ToFloat(dBits);
        float dmin = Float.float16ToFloat(dminBits);
        int[] ls = new int[8];
        int[] lm = new int[8];
        for (int j = 0; j < 8; j++) {
            ls[j] = gridUp(scale[j], d, 63);
            lm[j] = gridUp(min[j], dmin, 63);
        }
        int[] q = new int[256];
        for (int j = 0; j < 8; j++) {
            float step = d * ls[j];
            float offset = dmin * lm[j];
            for (int l = 0; l < 32; l++) {
                int i = 32 * j + l;
                q[i] = step > 0 ? clamp(Quantizer.roundf((x[from + i] + offset) / step), 0, nmax) : 0;
            }
        }
        out.putShort(dBits);
        out.putShort(dminBits);
        out.put(packScales(ls, lm));
        if (fiveBits) {
            byte[] qh = new byte[32];
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < 32; l++) {
                    qh[l] |= (byte) (((q[64 * j + l] >> 4) << (2 * j)) | ((q[64 * j + 32 + l] >> 4) << (2 * j + 1)));
                }
            }
            out.put(qh);
        }
        for (int j = 0; j < 4; j++) {
            for (int l = 0; l < 32; l++) {
                out.put((byte) ((q[64 * j + l] & 0xF) | (q[64 * j + 32 + l] & 0xF) << 4));
            }
        }
    }

    /** The inverse of ggml's get_scale_min_k4. */
    static byte[] packScales(int[] ls, int[] lm) {
        byte[] s = new byte[12];
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                s[j] = (byte) ls[j];
                s[j + 4] = (byte) lm[j];
            } else {
                s[j + 4] = (byte) ((ls[j] & 0xF) | ((lm[j] & 0xF) << 4));
                s[j - 4] |= (byte) ((ls[j] >> 4) << 6);
                s[j] |= (byte) ((lm[j] >> 4) << 6);
            }
        }
        return s;
    }

    /** Q6_K: sixteen sub-blocks of 16 with int8 scales, quants -32..31. */
    static void q6_K(float[] x, int from, ByteBuffer out) {
        float[] scale = new float[16];
        float maxScale = 0;
        for (int j = 0; j < 16; j++) {
            float amax = 0;
            for (int l = 0; l < 16; l++) {
                amax = Math.max(amax, Math.abs(x[from + 16 * j + l]));
            }
            scale[j] = amax / 31;
            maxScale = Math.max(maxScale, scale[j]);
        }
        short dBits = Float.floatToFloat16(maxScale / 127);
        float d = Float.float16ToFloat(dBits);
        byte[] ls = new byte[16];
        int[] q = new int[256];
        for (int j = 0; j < 16; j++) {
            ls[j] = (byte) gridUp(scale[j], d, 127);
            float step = d * ls[j];
            for (int l = 0; l < 16; l++) {
                int i = 16 * j + l;
                q[i] = (step > 0 ? clamp(Quantizer.roundf(x[from + i] / step), -32, 31) : 0) + 32;
            }
        }
        byte[] ql = new byte[128];
        byte[] qh = new byte[64];
        for (int n = 0; n < 2; n++) {
            for (int l = 0; l < 32; l++) {
                int q1 = q[128 * n + l];
                int q2 = q[128 * n + l + 32];
                int q3 = q[128 * n + l + 64];
                int q4 = q[128 * n + l + 96];
                ql[64 * n + l] = (byte) ((q1 & 0xF) | (q3 & 0xF) << 4);
                ql[64 * n + l + 32] = (byte) ((q2 & 0xF) | (q4 & 0xF) << 4);
                qh[32 * n + l] = (byte) ((q1 >> 4) | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6);
            }
        }
        out.put(ql);
        out.put(qh);
        out.put(ls);
        out.putShort(dBits);
    }

    /** The smallest multiple count of {@code unit} that is at least {@code value}, at most {@code max}. */
    private static int gridUp(float value, float unit, int max) {
        return unit > 0 ? clamp((int) Math.ceil(value / unit), 0, max) : 0;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
