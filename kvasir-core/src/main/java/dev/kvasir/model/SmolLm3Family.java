package dev.kvasir.model;

/**
 * {@code smollm3} (llama.cpp src/models/smollm3.cpp): llama's block, but every 4th layer has no
 * position rotation at all (NoPE): layer {@code il} uses RoPE iff {@code (il + 1) % 4 != 0}.
 * llama.cpp fixes the step at 4 (n_no_rope_layer_step) and reads no key for it.
 */
final class SmolLm3Family implements Family {
    static final int NO_ROPE_LAYER_STEP = 4;

    @Override
    public RopeMode ropeMode() {
        return RopeMode.NORMAL;
    }

    @Override
    public DecoderSpec spec(FamilyFile f) {
        RopeSpec rope = f.rope(f.weights().ropeFreqs());
        return DecoderSpec.plain(f.layers(l -> LayerSpec.standard(f.config(), usesRope(l) ? rope : null)));
    }

    static boolean usesRope(int layer) {
        return (layer + 1) % NO_ROPE_LAYER_STEP != 0;
    }
}
