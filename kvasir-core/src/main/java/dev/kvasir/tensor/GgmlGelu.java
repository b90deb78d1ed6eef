package dev.kvasir.tensor;

/**
 * GELU with the tanh approximation exactly as ggml's CPU backend computes it (GGML_GELU_FP16, on by
 * default): below -10 it is 0, from 10 on the identity, and in between the input is rounded to F16 and
 * looked up in a table of F16 results of {@code 0.5·x·(1 + tanh(√(2/π)·x·(1 + 0.044715·x²)))} in
 * float. So a Gemma FFN sees the same rounded activations llama.cpp does.
 */
public final class GgmlGelu {
    private static final float GELU_COEF_A = 0.044715f;
    private static final float SQRT_2_OVER_PI = 0.79788456080286535587989211986876f;
    /** ggml_table_gelu_f16: the F16 result for every F16 input. */
    private static final short[] TABLE = table();

    private GgmlGelu() {
    }

    /** ggml_gelu_f32: the float formula, in ggml's order of operations. */
    public static float exact(float x) {
        return 0.5f * x * (1.0f + (float) Math.tanh(SQRT_2_OVER_PI * x * (1.0f + GELU_COEF_A * x * x)));
    }

    /** ggml_vec_gelu_f32 of one value. */
    public static float of(float x) {
        if (x <= -10.0f) {
            return 0.0f;
        }
        if (x >= 10.0f) {
            return x;
        }
        return Float.float16ToFloat(TABLE[Float.floatToFloat16(x) & 0xFFFF]);
    }

    /** ggml_vec_geglu_f32: {@code gate[i] = gelu(gate[i]) · up[i]} for {@code n} values; element-wise, so batch-invariant. */
    public static void geglu(float[] gate, int off, float[] up, int upOff, int n) {
        for (int i = 0; i < n; i++) {
            float x = gate[off + i];
            float g = up[upOff + i];
            gate[off + i] = x <= -10.0f ? 0.0f : x >= 10.0f ? x * g : of(x) * g;
        }
    }

    private static short[] table() {
        short[] t = new short[1 << 16];
        for (int i = 0; i < t.length; i++) {
            t[i] = Float.floatToFloat16(exact(Float.float16ToFloat((short) i)));
        }
        return t;
    }
}
