package dev.kvasir.model;

/**
 * {@code llama} (llama.cpp src/models/llama.cpp): RMSNorm, RoPE on adjacent pairs (convert_hf_to_gguf
 * permutes Q/K for it), GQA attention, SwiGLU; optional Q/K/V/output biases and Llama 3.1's
 * {@code rope_freqs} divisors.
 */
final class LlamaFamily implements Family {
    @Override
    public RopeMode ropeMode() {
        return RopeMode.NORMAL;
    }

    @Override
    public DecoderSpec spec(FamilyFile f) {
        RopeSpec rope = f.rope(f.weights().ropeFreqs());
        return DecoderSpec.plain(f.layers(l -> LayerSpec.standard(f.config(), rope)));
    }
}
