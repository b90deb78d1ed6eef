package dev.kvasir.model;

/**
 * What one layer of a family does beyond its weights: the per-layer choices llama.cpp's
 * {@code src/models/<arch>.cpp} graphs make with {@code il}. A family builds one per layer
 * ({@link Family#spec}); the {@link Transformer} runs them over the shared blocks.
 *
 * @param rope           the layer's rotary embedding, or null for a NoPE layer (no position rotation)
 * @param attentionScale the factor of q·k before the softmax ({@code 1/sqrt(headDim)} by default;
 *                       granite's {@code attention.scale})
 * @param residualScale  factor of the attention and FFN outputs before each residual add (granite; 1 = none)
 * @param activation     the gated FFN's activation
 * @param slidingWindow  0 for global attention; else the window of a local layer (gemma's; not run yet)
 * @param attnSoftCap    0 for none; else attention logits become {@code cap·tanh(s/cap)} (gemma2's; not run yet)
 */
public record LayerSpec(RopeSpec rope, float attentionScale, float residualScale, Activation activation,
                        int slidingWindow, float attnSoftCap) {

    /** The gate's non-linearity of a gated FFN: {@code down · (act(gate · x) ⊙ up · x)}. */
    public enum Activation {
        /** SwiGLU (llama.cpp's LLM_FFN_SILU with a parallel gate, or LLM_FFN_SWIGLU on a fused gate/up). */
        SILU
    }

    public LayerSpec {
        if (!(attentionScale > 0) || !(residualScale > 0) || slidingWindow < 0 || !(attnSoftCap >= 0)) {
            throw new IllegalArgumentException("invalid layer spec: attention scale " + attentionScale + ", residual scale "
                    + residualScale + ", sliding window " + slidingWindow + ", soft cap " + attnSoftCap);
        }
    }

    /** A llama layer: global attention scaled by 1/sqrt(headDim), SwiGLU, plain residuals. */
    static LayerSpec standard(ModelConfig c, RopeSpec rope) {
        return new LayerSpec(rope, defaultAttentionScale(c), 1f, Activation.SILU, 0, 0f);
    }

    static float defaultAttentionScale(ModelConfig c) {
        return 1f / (float) Math.sqrt(c.headDim());
    }

    LayerSpec withResidualScale(float scale) {
        return new LayerSpec(rope, attentionScale, scale, activation, slidingWindow, attnSoftCap);
    }

    LayerSpec withAttentionScale(float scale) {
        return new LayerSpec(rope, scale, residualScale, activation, slidingWindow, attnSoftCap);
    }
}
