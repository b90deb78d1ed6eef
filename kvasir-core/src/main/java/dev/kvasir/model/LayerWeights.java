package dev.kvasir.model;

import dev.kvasir.tensor.WeightMatrix;

/**
 * The weights of one transformer block {@code blk.N}, named as in GGUF. Norm weights and biases are
 * plain float vectors; every optional part is null when the family or the file has none: Q/K/V and
 * output biases (qwen2), per-head Q/K norms (qwen3), post-attention and post-FFN norms (gemma).
 * Fused tensors (phi3's {@code attn_qkv}, its gate/up {@code ffn_up}) arrive already split into
 * row ranges of the same mapped data (see {@link LayerTensors}), so the block never sees the fusion.
 */
public record LayerWeights(
        float[] attnNorm,
        WeightMatrix attnQ,
        WeightMatrix attnK,
        WeightMatrix attnV,
        float[] attnQBias,
        float[] attnKBias,
        float[] attnVBias,
        float[] attnQNorm,
        float[] attnKNorm,
        WeightMatrix attnOutput,
        float[] attnOutputBias,
        float[] attnPostNorm,
        float[] ffnNorm,
        WeightMatrix ffnGate,
        WeightMatrix ffnUp,
        WeightMatrix ffnDown,
        float[] ffnPostNorm) {

    /** Q, K and V projections with their optional biases. */
    public record Qkv(WeightMatrix q, WeightMatrix k, WeightMatrix v, float[] qBias, float[] kBias, float[] vBias) {
    }

    /** A gated FFN: {@code down · (act(gate · x) ⊙ (up · x))}. */
    public record GatedFfn(WeightMatrix gate, WeightMatrix up, WeightMatrix down) {
    }

    /** Assembles a block from its parts; {@code qNorm}, {@code kNorm}, {@code outputBias} and the post norms may be null. */
    public static LayerWeights of(float[] attnNorm, Qkv qkv, float[] qNorm, float[] kNorm, WeightMatrix output,
                                  float[] outputBias, float[] attnPostNorm, float[] ffnNorm, GatedFfn ffn,
                                  float[] ffnPostNorm) {
        return new LayerWeights(attnNorm, qkv.q(), qkv.k(), qkv.v(), qkv.qBias(), qkv.kBias(), qkv.vBias(), qNorm, kNorm,
                output, outputBias, attnPostNorm, ffnNorm, ffn.gate(), ffn.up(), ffn.down(), ffnPostNorm);
    }
}
