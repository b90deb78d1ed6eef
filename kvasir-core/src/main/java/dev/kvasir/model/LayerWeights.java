package dev.kvasir.model;

import dev.kvasir.tensor.WeightMatrix;

/**
 * The weights of one transformer block {@code blk.N}, named as in GGUF. Norm weights and biases are
 * plain float vectors; biases are null when the file has none (llama usually) and Q/K/V biases are
 * present for qwen2.
 */
public record LayerWeights(
        float[] attnNorm,
        WeightMatrix attnQ,
        WeightMatrix attnK,
        WeightMatrix attnV,
        float[] attnQBias,
        float[] attnKBias,
        float[] attnVBias,
        WeightMatrix attnOutput,
        float[] attnOutputBias,
        float[] ffnNorm,
        WeightMatrix ffnGate,
        WeightMatrix ffnUp,
        WeightMatrix ffnDown) {

    static LayerWeights load(TensorSource tensors, ModelConfig c, int layer) {
        String blk = "blk." + layer + ".";
        int dim = c.embeddingLength();
        return new LayerWeights(
                tensors.vector(blk + "attn_norm.weight", dim),
                tensors.matrix(blk + "attn_q.weight", c.queryDim(), dim),
                tensors.matrix(blk + "attn_k.weight", c.kvDim(), dim),
                tensors.matrix(blk + "attn_v.weight", c.kvDim(), dim),
                tensors.optionalVector(blk + "attn_q.bias", c.queryDim()),
                tensors.optionalVector(blk + "attn_k.bias", c.kvDim()),
                tensors.optionalVector(blk + "attn_v.bias", c.kvDim()),
                tensors.matrix(blk + "attn_output.weight", dim, c.queryDim()),
                tensors.optionalVector(blk + "attn_output.bias", dim),
                tensors.vector(blk + "ffn_norm.weight", dim),
                tensors.matrix(blk + "ffn_gate.weight", c.feedForwardLength(), dim),
                tensors.matrix(blk + "ffn_up.weight", c.feedForwardLength(), dim),
                tensors.matrix(blk + "ffn_down.weight", dim, c.feedForwardLength()));
    }
}
