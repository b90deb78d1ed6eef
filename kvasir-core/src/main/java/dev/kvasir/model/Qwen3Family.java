package dev.kvasir.model;

/**
 * {@code qwen3} (llama.cpp src/models/qwen3.cpp): qwen2's NEOX block without biases, plus a per-head
 * RMS norm of Q and of K ({@code attn_q_norm}, {@code attn_k_norm}, headDim gains) before RoPE. The
 * head size comes from {@code attention.key_length} (128 with n_embd 1024 / 16 heads in Qwen3-0.6B).
 */
final class Qwen3Family implements Family {
    @Override
    public RopeMode ropeMode() {
        return RopeMode.NEOX;
    }

    @Override
    public LayerWeights layer(LayerTensors t) {
        return t.withQkNorm(t.headNorm("attn_q_norm"), t.headNorm("attn_k_norm"));
    }

    @Override
    public DecoderSpec spec(FamilyFile f) {
        RopeSpec rope = f.rope(f.weights().ropeFreqs());
        return DecoderSpec.plain(f.layers(l -> LayerSpec.standard(f.config(), rope)));
    }
}
