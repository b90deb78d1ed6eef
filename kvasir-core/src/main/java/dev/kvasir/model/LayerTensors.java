package dev.kvasir.model;

import dev.kvasir.model.LayerWeights.GatedFfn;
import dev.kvasir.model.LayerWeights.Qkv;
import dev.kvasir.model.recurrent.LinearAttentionShape;
import dev.kvasir.model.recurrent.LinearAttentionWeights;
import dev.kvasir.tensor.WeightMatrix;
import java.util.Arrays;

/**
 * The shared tensor blocks of one layer {@code blk.N}, as llama.cpp's loader creates them: a
 * family's {@link Family#layer} picks the ones its block has. Shapes follow the configuration, so
 * a wrong tensor fails in one line naming it and the file.
 */
final class LayerTensors {
    private final TensorSource tensors;
    private final ModelConfig c;
    private final int layer;
    private final String blk;

    LayerTensors(TensorSource tensors, ModelConfig c, int layer) {
        this.tensors = tensors;
        this.c = c;
        this.layer = layer;
        this.blk = "blk." + layer + ".";
    }

    int layer() {
        return layer;
    }

    /** llama's block: attention with optional biases, SwiGLU FFN with separate gate and up. */
    LayerWeights standard() {
        return withQkNorm(null, null);
    }

    /** llama's block with per-head RMS norms of Q and K before RoPE (qwen3). */
    LayerWeights withQkNorm(float[] qNorm, float[] kNorm) {
        return LayerWeights.of(norm("attn_norm"), qkv(), qNorm, kNorm, attnOutput(), attnOutputBias(), null,
                norm("ffn_norm"), gatedFfn(), null);
    }

    /**
     * The gated delta-net tensors of a Qwen3.5 linear-attention layer, with the shapes llama.cpp's
     * qwen35 load_block_trunk creates ({@code ssm_a} has no {@code .weight} suffix; {@code ssm_dt} is a bias).
     */
    LinearAttentionWeights linearAttention(LinearAttentionShape s) {
        int dim = c.embeddingLength();
        if (s.embd() != dim) {
            throw new IllegalArgumentException("linear attention of width " + s.embd() + " in a model of width " + dim);
        }
        WeightMatrix conv = tensors.matrix(blk + "ssm_conv1d.weight", s.convChannels(), s.convKernel());
        float[] conv1d = new float[s.convChannels() * s.convKernel()];
        for (int ch = 0; ch < s.convChannels(); ch++) {
            conv.dequantizeRow(ch, conv1d, ch * s.convKernel());
        }
        return new LinearAttentionWeights(
                tensors.matrix(blk + "attn_qkv.weight", s.convChannels(), dim),
                tensors.matrix(blk + "attn_gate.weight", s.valueDim(), dim),
                tensors.matrix(blk + "ssm_beta.weight", s.vHeads(), dim),
                tensors.matrix(blk + "ssm_alpha.weight", s.vHeads(), dim),
                tensors.vector(blk + "ssm_dt.bias", s.vHeads()),
                tensors.vector(blk + "ssm_a", s.vHeads()),
                conv1d,
                tensors.vector(blk + "ssm_norm.weight", s.headDim()),
                tensors.matrix(blk + "ssm_out.weight", dim, s.valueDim()));
    }

    /** An RMS-norm gain over the embedding, {@code blk.N.<name>.weight}. */
    float[] norm(String name) {
        return tensors.vector(blk + name + ".weight", c.embeddingLength());
    }

    /** A per-head RMS-norm gain of headDim values ({@code attn_q_norm}, {@code attn_k_norm}). */
    float[] headNorm(String name) {
        return tensors.vector(blk + name + ".weight", c.headDim());
    }

    /**
     * Q, K and V as llama.cpp's create_tensor_qkv finds them: a fused {@code attn_qkv} (rows Q, then K,
     * then V; with a fused bias or separate ones) when the file has it, else three matrices.
     */
    Qkv qkv() {
        int dim = c.embeddingLength();
        int[] rows = {c.queryDim(), c.kvDim(), c.kvDim()};
        if (tensors.has(blk + "attn_qkv.weight")) {
            WeightMatrix[] m = tensors.splitRows(blk + "attn_qkv.weight", rows, dim);
            float[] fused = tensors.optionalVector(blk + "attn_qkv.bias", c.queryDim() + 2 * c.kvDim());
            if (fused != null) {
                int q = c.queryDim();
                int k = q + c.kvDim();
                return new Qkv(m[0], m[1], m[2], Arrays.copyOfRange(fused, 0, q), Arrays.copyOfRange(fused, q, k),
                        Arrays.copyOfRange(fused, k, fused.length));
            }
            return new Qkv(m[0], m[1], m[2], bias("attn_q", rows[0]), bias("attn_k", rows[1]), bias("attn_v", rows[2]));
        }
        return new Qkv(
                tensors.matrix(blk + "attn_q.weight", rows[0], dim),
                tensors.matrix(blk + "attn_k.weight", rows[1], dim),
                tensors.matrix(blk + "attn_v.weight", rows[2], dim),
                bias("attn_q", rows[0]), bias("attn_k", rows[1]), bias("attn_v", rows[2]));
    }

    WeightMatrix attnOutput() {
        return tensors.matrix(blk + "attn_output.weight", c.embeddingLength(), c.queryDim());
    }

    float[] attnOutputBias() {
        return bias("attn_output", c.embeddingLength());
    }

    /** Separate {@code ffn_gate}, {@code ffn_up}, {@code ffn_down}. */
    GatedFfn gatedFfn() {
        int dim = c.embeddingLength();
        int ff = c.feedForwardLength();
        return new GatedFfn(tensors.matrix(blk + "ffn_gate.weight", ff, dim), tensors.matrix(blk + "ffn_up.weight", ff, dim),
                tensors.matrix(blk + "ffn_down.weight", dim, ff));
    }

    /**
     * A fused gate/up {@code ffn_up} of 2·n_ff rows (phi3): ggml_swiglu applies SiLU to the first half
     * of each output row and multiplies by the second, so the first n_ff rows are the gate.
     */
    GatedFfn fusedGateUpFfn() {
        int dim = c.embeddingLength();
        int ff = c.feedForwardLength();
        WeightMatrix[] gateUp = tensors.splitRows(blk + "ffn_up.weight", new int[] {ff, ff}, dim);
        return new GatedFfn(gateUp[0], gateUp[1], tensors.matrix(blk + "ffn_down.weight", dim, ff));
    }

    private float[] bias(String name, int n) {
        return tensors.optionalVector(blk + name + ".bias", n);
    }
}
