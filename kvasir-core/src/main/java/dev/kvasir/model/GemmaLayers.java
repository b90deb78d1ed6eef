package dev.kvasir.model;

/**
 * What gemma2 and gemma3 share (llama.cpp src/models/gemma2.cpp, gemma3.cpp): the block (RMS
 * norms before and after attention and FFN, GeGLU), embeddings times {@code sqrtf(n_embd)}, queries
 * times {@code f_attention_scale} with a q·k scale of 1, and interleaved sliding-window layers whose
 * RoPE has its own base ({@code rope.freq_base_swa}) and scale.
 */
final class GemmaLayers {
    private GemmaLayers() {
    }

    /** Gemma's block: attn_norm, Q/K/V (gemma3: with per-head Q/K norms), post_attention_norm, ffn_norm, GeGLU, post_ffw_norm (GGUF names). */
    static LayerWeights block(LayerTensors t, boolean qkNorm) {
        return LayerWeights.of(t.norm("attn_norm"), t.qkv(), qkNorm ? t.headNorm("attn_q_norm") : null,
                qkNorm ? t.headNorm("attn_k_norm") : null, t.attnOutput(), null, t.norm("post_attention_norm"),
                t.norm("ffn_norm"), t.gatedFfn(), t.norm("post_ffw_norm"));
    }

    /** {@code sqrtf(n_embd)}: ggml_scale's factor on the embeddings (float sqrt, not rounded to the weights' type). */
    static float embeddingScale(ModelConfig c) {
        return (float) Math.sqrt(c.embeddingLength());
    }

    /**
     * llama.cpp's f_attention_scale: {@code 1/sqrt(n_embd / n_head)} for the 27B models (46 layers for
     * gemma2, 62 for gemma3), else {@code 1/sqrt(head_dim)}; it does not read {@code query_pre_attn_scalar}.
     */
    static float queryScale(ModelConfig c, int layersOf27b) {
        float d = c.blockCount() == layersOf27b ? c.embeddingLength() / c.headCount() : c.headDim();
        return 1.0f / (float) Math.sqrt(d);
    }

    /** A local or global layer with its RoPE and the caps; q·k is not scaled again (the queries were). */
    static LayerSpec layer(RopeSpec rope, boolean local, int window, float attnSoftCap, float queryScale) {
        return new LayerSpec(rope, 1f, 1f, LayerSpec.Activation.GELU, local ? window : 0, attnSoftCap, queryScale);
    }

    /** The file's RoPE with a local layer's base and scale. */
    static RopeSpec localRope(RopeSpec global, float base, float scale) {
        return new RopeSpec(global.mode(), global.dims(), base, scale, global.freqFactors(), global.extFactor(),
                global.attnFactor(), global.betaFast(), global.betaSlow(), global.origContext());
    }
}
