package dev.kvasir.model.recurrent;

import dev.kvasir.tensor.ScalarOps;

/**
 * Qwen3.5's gated delta-net layer (llama.cpp qwen35.cpp build_layer_attn_linear), from the
 * attention-normed input to the layer output before the residual add:
 * <pre>
 *   qkv  = attn_qkv x;  z = attn_gate x
 *   beta = sigmoid(ssm_beta x);  g = softplus(ssm_alpha x + ssm_dt) * ssm_a
 *   q, k, v = split(silu(conv1d(qkv)));  q, k = l2norm(q), l2norm(k)   per key head
 *   o    = gated delta rule(q, k, v, g, beta)                           per value head
 *   out  = ssm_out (rmsnorm(o) * ssm_norm * silu(z))                    per value head
 * </pre>
 * Scalar and plain, the oracle for anything faster.
 */
public final class LinearAttention {
    private final LinearAttentionShape shape;
    private final LinearAttentionWeights w;
    private final ShortConv conv;

    public LinearAttention(LinearAttentionShape shape, LinearAttentionWeights w) {
        this.shape = shape;
        this.w = w;
        this.conv = new ShortConv(shape.convChannels(), shape.convKernel(), w.ssmConv1d());
    }

    public LinearAttentionShape shape() {
        return shape;
    }

    /** {@code x} and {@code out} hold {@code tokens} rows of {@code embd}; {@code state} advances past them. */
    public void forward(float[] x, int tokens, float[] out, LinearAttentionState state) {
        int channels = shape.convChannels();
        int heads = shape.vHeads();
        int d = shape.headDim();
        float[] qkv = new float[tokens * channels];
        float[] z = new float[tokens * shape.valueDim()];
        float[] beta = new float[tokens * heads];
        float[] g = new float[tokens * heads];
        w.attnQkv().matmul(x, tokens, qkv);
        w.attnGate().matmul(x, tokens, z);
        w.ssmBeta().matmul(x, tokens, beta);
        w.ssmAlpha().matmul(x, tokens, g);
        for (int i = 0; i < beta.length; i++) {
            int h = i % heads;
            beta[i] = sigmoid(beta[i]);
            g[i] = softplus(g[i] + w.ssmDt()[h]) * w.ssmA()[h];
        }

        float[] mixed = new float[qkv.length];
        conv.apply(qkv, tokens, mixed, state.conv());
        ScalarOps.silu(mixed, 0, mixed.length);

        int keyDim = shape.keyDim();
        float[] q = new float[tokens * keyDim];
        float[] k = new float[tokens * keyDim];
        float[] v = new float[tokens * shape.valueDim()];
        for (int t = 0; t < tokens; t++) {
            System.arraycopy(mixed, t * channels, q, t * keyDim, keyDim);
            System.arraycopy(mixed, t * channels + keyDim, k, t * keyDim, keyDim);
            System.arraycopy(mixed, t * channels + 2 * keyDim, v, t * shape.valueDim(), shape.valueDim());
        }
        for (int r = 0; r < tokens * shape.kHeads(); r++) {
            l2norm(q, r * d, d, shape.eps());
            l2norm(k, r * d, d, shape.eps());
        }

        float[] o = new float[v.length];
        GatedDeltaNet.apply(tokens, shape.kHeads(), q, k, v, g, beta, o, state.delta());

        for (int r = 0; r < tokens * heads; r++) {
            ScalarOps.rmsnorm(o, r * d, o, r * d, w.ssmNorm(), d, shape.eps());
        }
        ScalarOps.silu(z, 0, z.length);
        ScalarOps.mul(o, 0, z, 0, o.length);
        w.ssmOut().matmul(o, tokens, out);
    }

    /** x / sqrt(sum x^2 + eps): llama.cpp's build_gdn_l2_norm (an RMS norm with eps / n, scaled by 1/sqrt(n)). */
    static void l2norm(float[] x, int off, int n, float eps) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += (double) x[off + i] * x[off + i];
        }
        ScalarOps.scale(x, off, n, (float) (1 / Math.sqrt(ss + eps)));
    }

    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /** ggml's op_softplus: the identity above 20, where log(1 + e^x) equals x in float. */
    static float softplus(float x) {
        return x > 20 ? x : (float) Math.log(1 + Math.exp(x));
    }
}
