package dev.kvasir.model;

/**
 * {@code gemma2} (llama.cpp src/models/gemma2.cpp): Gemma's block ({@link GemmaLayers}) with every
 * other layer local (sliding_window_pattern 2: even layers), a window of {@code attention.sliding_window}
 * (default 4096), local RoPE base {@code rope.freq_base_swa} (default: the global base) at the global
 * scale, attention logits soft-capped at {@code attn_logit_softcapping} (default 50) and final logits
 * at {@code final_logit_softcapping} (default 30). The LM head is always {@code token_embd}.
 */
final class Gemma2Family implements Family {
    private static final int LAYERS_27B = 46;

    @Override
    public RopeMode ropeMode() {
        return RopeMode.NEOX;
    }

    @Override
    public LayerWeights layer(LayerTensors t) {
        return GemmaLayers.block(t, false);
    }

    @Override
    public DecoderSpec spec(FamilyFile f) {
        ModelConfig c = f.config();
        RopeSpec global = f.rope(null);
        RopeSpec local = GemmaLayers.localRope(global, f.floatKey("rope.freq_base_swa", global.freqBase()),
                global.freqScale());
        int window = f.intKey("attention.sliding_window", 4096);
        boolean[] pattern = f.slidingPattern(2);
        float attnCap = f.floatKey("attn_logit_softcapping", 50f);
        float finalCap = f.floatKey("final_logit_softcapping", 30f);
        float queryScale = GemmaLayers.queryScale(c, LAYERS_27B);
        return new DecoderSpec(GemmaLayers.embeddingScale(c), 1f, finalCap, f.layers(l ->
                GemmaLayers.layer(pattern[l] ? local : global, pattern[l], window, attnCap, queryScale)));
    }
}
