package dev.kvasir.model;

/**
 * {@code gemma3} (llama.cpp src/models/gemma3.cpp): Gemma's block ({@link GemmaLayers}) with per-head
 * RMS norms of Q and K before RoPE, no attention soft-capping, final soft-capping only when
 * {@code final_logit_softcapping} is set. With {@code attention.sliding_window} present, five of every
 * six layers are local (pattern 6) and rotate with {@code rope.freq_base_swa} (default 10000) at scale 1
 * (llama.cpp's rope_freq_scale_train_swa: a global linear scaling does not apply to local layers);
 * without it every layer is global.
 */
final class Gemma3Family implements Family {
    private static final int LAYERS_27B = 62;
    private static final float DEFAULT_LOCAL_BASE = 10000f;

    @Override
    public RopeMode ropeMode() {
        return RopeMode.NEOX;
    }

    @Override
    public LayerWeights layer(LayerTensors t) {
        return GemmaLayers.block(t, true);
    }

    @Override
    public DecoderSpec spec(FamilyFile f) {
        ModelConfig c = f.config();
        RopeSpec global = f.rope(null);
        int window = f.intKey("attention.sliding_window", 0);
        boolean[] pattern = window > 0 ? f.slidingPattern(6) : new boolean[c.blockCount()];
        RopeSpec local = GemmaLayers.localRope(global, f.floatKey("rope.freq_base_swa", DEFAULT_LOCAL_BASE), 1f);
        float queryScale = GemmaLayers.queryScale(c, LAYERS_27B);
        return new DecoderSpec(GemmaLayers.embeddingScale(c), 1f, f.floatKey("final_logit_softcapping", 0f),
                f.layers(l -> GemmaLayers.layer(pattern[l] ? local : global, pattern[l], window, 0f, queryScale)));
    }
}
