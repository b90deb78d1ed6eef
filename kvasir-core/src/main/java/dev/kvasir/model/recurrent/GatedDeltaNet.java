package dev.kvasir.model.recurrent;

/**
 * The gated delta rule, token by token, as llama.cpp's ggml_gated_delta_net computes it on the CPU.
 * Per value head, with decay {@code a = exp(g)} and write strength {@code beta}:
 * <pre>
 *   S     = a * S                       forget a little of everything
 *   delta = beta * (v - S^T k)          what the memory gets wrong about k
 *   S     = S + k delta^T               correct it (beta = 1 and |k| = 1 store v exactly)
 *   o     = S^T q / sqrt(headDim)
 * </pre>
 * Keys and queries come in {@code kHeads} heads shared by the value heads in a tiled pattern (value
 * head h reads key head {@code h % kHeads}), which is how ggml broadcasts them.
 */
public final class GatedDeltaNet {
    private GatedDeltaNet() {}

    /**
     * Runs {@code tokens} steps. Per token: q and k hold {@code kHeads * d} floats, v and out
     * {@code state.heads() * d}, g and beta {@code state.heads()} (g is the log of the decay).
     */
    public static void apply(int tokens, int kHeads, float[] q, float[] k, float[] v, float[] g, float[] beta,
                             float[] out, DeltaNetState state) {
        int heads = state.heads();
        int d = state.headDim();
        if (heads % kHeads != 0) {
            throw new IllegalArgumentException(heads + " value heads cannot share " + kHeads + " key heads");
        }
        float[] delta = new float[d];
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < heads; h++) {
                int kOff = (t * kHeads + h % kHeads) * d;
                int vOff = (t * heads + h) * d;
                step(state, h, q, kOff, k, kOff, v, vOff, g[t * heads + h], beta[t * heads + h], out, vOff, delta);
            }
        }
    }

    private static void step(DeltaNetState state, int h, float[] q, int qOff, float[] k, int kOff, float[] v,
                             int vOff, float g, float beta, float[] out, int outOff, float[] delta) {
        int d = state.headDim();
        float[] m = state.matrix();
        int base = h * d * d;
        float decay = (float) Math.exp(g);
        for (int i = 0; i < d * d; i++) {
            m[base + i] *= decay;
        }
        // Row j of m is column j of S, so every product below walks contiguous memory.
        for (int j = 0; j < d; j++) {
            float recalled = dot(m, base + j * d, k, kOff, d);
            delta[j] = (v[vOff + j] - recalled) * beta;
        }
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                m[base + j * d + i] += k[kOff + i] * delta[j];
            }
        }
        float scale = (float) (1 / Math.sqrt(d));
        for (int j = 0; j < d; j++) {
            out[outOff + j] = dot(m, base + j * d, q, qOff, d) * scale;
        }
    }

    private static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }
}
