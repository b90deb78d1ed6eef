package dev.kvasir.model;

/**
 * {@code phi3} (llama.cpp src/models/phi3.cpp; Phi-3.x and Phi-4-mini): a fused {@code attn_qkv}
 * (separate Q/K/V also load), a fused gate/up {@code ffn_up} of 2·n_ff rows, NEOX RoPE over
 * {@code rope.dimension_count} (partial in Phi-4-mini). LongRoPE: per-pair divisors
 * {@code rope_factors_long} when the context exceeds {@code rope.scaling.original_context_length},
 * else {@code rope_factors_short} (llama_model::get_rope_factors), with cos/sin scaled by
 * {@code rope.scaling.attn_factor}. llama.cpp scales Q by 1/sqrt(headDim) and then attends with scale
 * 1, which is the standard scale applied in another place. Phi's sliding window is disabled in
 * llama.cpp, so it is ignored here too.
 */
final class Phi3Family implements Family {
    @Override
    public RopeMode ropeMode() {
        return RopeMode.NEOX;
    }

    @Override
    public LayerWeights layer(LayerTensors t) {
        return LayerWeights.of(t.norm("attn_norm"), t.qkv(), null, null, t.attnOutput(), t.attnOutputBias(), null,
                t.norm("ffn_norm"), t.fusedGateUpFfn(), null);
    }

    @Override
    public DecoderSpec spec(FamilyFile f) {
        int pairs = f.config().ropeDimensions() / 2;
        float[] longFactors = f.tensors().optionalVector("rope_factors_long.weight", pairs);
        float[] shortFactors = f.tensors().optionalVector("rope_factors_short.weight", pairs);
        ModelConfig c = f.config();
        float[] factors = c.contextLength() > c.ropeScaling().origContext() ? longFactors : shortFactors;
        RopeSpec rope = f.rope(factors);
        return DecoderSpec.plain(f.layers(l -> LayerSpec.standard(c, rope)));
    }
}
