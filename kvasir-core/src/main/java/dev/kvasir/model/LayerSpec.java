package dev.kvasir.model;

import dev.kvasir.cache.Scoring;

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
 * @param slidingWindow  0 for global attention; else the window of a local layer (gemma's): a query sees
 *                       the last {@code slidingWindow} positions including its own
 * @param attnSoftCap    0 for none; else attention logits become {@code cap·tanh(s/cap)} (gemma2's)
 * @param queryScale     factor of the queries after RoPE, before attention (gemma's {@code ggml_scale(Qcur,
 *                       f_attention_scale)} with a q·k scale of 1; 1 = none)
 */
public record LayerSpec(RopeSpec rope, float attentionScale, float residualScale, Activation activation,
                        int slidingWindow, float attnSoftCap, float queryScale) {

    /** The gate's non-linearity of a gated FFN: {@code down · (act(gate · x) ⊙ up · x)}. */
    public enum Activation {
        /** SwiGLU (llama.cpp's LLM_FFN_SILU with a parallel gate, or LLM_FFN_SWIGLU on a fused gate/up). */
        SILU,
        /** GeGLU with ggml's tanh-approximated, F16-table GELU (llama.cpp's LLM_FFN_GELU with a parallel gate: gemma). */
        GELU
    }

    /** A layer whose queries are not scaled before attention. */
    public LayerSpec(RopeSpec rope, float attentionScale, float residualScale, Activation activation, int slidingWindow,
                     float attnSoftCap) {
        this(rope, attentionScale, residualScale, activation, slidingWindow, attnSoftCap, 1f);
    }

    public LayerSpec {
        if (!(attentionScale > 0) || !(residualScale > 0) || slidingWindow < 0 || !(attnSoftCap >= 0) || !(queryScale > 0)) {
            throw new IllegalArgumentException("invalid layer spec: attention scale " + attentionScale + ", residual scale "
                    + residualScale + ", sliding window " + slidingWindow + ", soft cap " + attnSoftCap + ", query scale "
                    + queryScale);
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
        return new LayerSpec(rope, attentionScale, scale, activation, slidingWindow, attnSoftCap, queryScale);
    }

    LayerSpec withAttentionScale(float scale) {
        return new LayerSpec(rope, scale, residualScale, activation, slidingWindow, attnSoftCap, queryScale);
    }

    /** The softmax logit of q·k as the caches compute it (scale, optional soft-cap). */
    Scoring scoring() {
        return new Scoring(attentionScale, attnSoftCap);
    }
}
