package dev.kvasir.model;

/**
 * {@code qwen2} (llama.cpp src/models/qwen2.cpp): llama's block with Q/K/V biases; Q/K are stored
 * unpermuted, so RoPE pairs values half a head apart (NEOX).
 */
final class Qwen2Family implements Family {
    @Override
    public RopeMode ropeMode() {
        return RopeMode.NEOX;
    }

    @Override
    public DecoderSpec spec(FamilyFile f) {
        RopeSpec rope = f.rope(f.weights().ropeFreqs());
        return DecoderSpec.plain(f.layers(l -> LayerSpec.standard(f.config(), rope)));
    }
}
