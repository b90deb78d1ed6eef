package dev.kvasir.model.recurrent;

import dev.kvasir.tensor.WeightMatrix;

/**
 * The tensors of a Qwen3.5 linear-attention layer {@code blk.N}, named as in the GGUF:
 * {@code attn_qkv} (q, k, v before the conv), {@code attn_gate} (z, the output gate),
 * {@code ssm_beta} and {@code ssm_alpha} (per value head write strength and decay input),
 * {@code ssm_dt.bias}, {@code ssm_a} (= -exp(A_log), so the log-decay is softplus(alpha + dt) * ssm_a),
 * {@code ssm_conv1d}, {@code ssm_norm} (headDim gains) and {@code ssm_out}.
 */
public record LinearAttentionWeights(WeightMatrix attnQkv, WeightMatrix attnGate, WeightMatrix ssmBeta,
                                     WeightMatrix ssmAlpha, float[] ssmDt, float[] ssmA, float[] ssmConv1d,
                                     float[] ssmNorm, WeightMatrix ssmOut) {}
