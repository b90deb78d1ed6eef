package dev.kvasir.cache;

/**
 * ggml's CPU F16 vector primitives (vec_dot_f16, vec_mad_f16, vec_scale_f16 on x86 with AVX2/F16C),
 * reproduced operation for operation on floats that hold F16 values, so attention over an F16 cache
 * rounds exactly where llama.cpp rounds.
 */
final class GgmlF16 {
    /** Elements per ggml F16 SIMD step on AVX2: 4 registers of 8 lanes. */
    static final int STEP = 32;
    private static final int LANES = 8;

    private GgmlF16() {
    }

    static float round(float x) {
        return Float.float16ToFloat(Float.floatToFloat16(x));
    }

    /**
     * ggml_vec_dot_f16: 4×8-lane FMA accumulators over whole steps, ggml's reduction tree, leftovers
     * in double. {@code acc} is scratch of {@link #STEP} floats (no allocation per call).
     */
    static float dot(float[] x, int xo, float[] y, int n, float[] acc) {
        int np = n & ~(STEP - 1);
        double sum = 0;
        if (np > 0) {
            java.util.Arrays.fill(acc, 0, STEP, 0f);
            for (int i = 0; i < np; i += STEP) {
                for (int j = 0; j < STEP; j++) {
                    acc[j] = Math.fma(x[xo + i + j], y[i + j], acc[j]);
                }
            }
            for (int l = 0; l < LANES; l++) { // x[0] += x[2], x[1] += x[3]; then x[0] += x[1]
                acc[l] += acc[2 * LANES + l];
                acc[LANES + l] += acc[3 * LANES + l];
                acc[l] += acc[LANES + l];
            }
            float t0 = acc[0] + acc[4];
            float t1 = acc[1] + acc[5];
            float t2 = acc[2] + acc[6];
            float t3 = acc[3] + acc[7];
            sum = (t0 + t1) + (t2 + t3);
        }
        for (int i = np; i < n; i++) {
            sum += x[xo + i] * y[i];
        }
        return (float) sum;
    }

    /** ggml_vec_mad_f16: y = f16(y + x·v) with one rounding of the multiply-add. */
    static void mad(float[] y, int yo, float[] x, int xo, int n, float v) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = round(Math.fma(x[xo + i], v, y[yo + i]));
        }
    }

    /** ggml_vec_scale_f16: y = f16(y·v). */
    static void scale(float[] y, int yo, int n, float v) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = round(y[yo + i] * v);
        }
    }
}
