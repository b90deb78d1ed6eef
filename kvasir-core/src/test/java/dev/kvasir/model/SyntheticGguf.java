package dev.kvasir.model;

import dev.kvasir.gguf.GgufWriter;
import dev.kvasir.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/** Writes a tiny random-weight model GGUF (F32 tensors) for tests; the fields say what to vary. */
final class SyntheticGguf {
    String architecture = "qwen2";
    int dim = 16;
    int layers = 2;
    int heads = 4;
    int kvHeads = 2;
    int ffn = 24;
    int context = 64;
    int vocab = 40;
    float ropeFreqBase = 1_000_000f;
    boolean qkvBiases = true;
    /** attn_output.bias in every block (llama.cpp's llama graph takes one when present). */
    boolean outputBias;
    /** Writes rope_freqs.weight with these per-pair divisors. */
    float[] ropeFreqs;
    /** Writes rope.scaling.type and rope.scaling.factor. */
    String ropeScalingType;
    float ropeScalingFactor;
    /** When set, attention.key_length/value_length: a head size other than dim / heads (qwen3). */
    Integer headDim;
    /** attn_q_norm / attn_k_norm per block (qwen3). */
    boolean qkNorm;
    /** attn_post_norm and ffn_post_norm per block (gemma2, gemma3). */
    boolean postNorms;
    /** One attn_qkv.weight instead of three (phi3). */
    boolean fusedQkv;
    /** ffn_up.weight of 2·ffn rows, gate first, and no ffn_gate (phi3). */
    boolean fusedGateUp;
    /** Extra float keys, written as {arch}.key (granite's multipliers, rope.scaling.attn_factor, ...). */
    final java.util.Map<String, Float> floatKeys = new java.util.LinkedHashMap<>();
    /** Extra uint32 keys, written as {arch}.key (rope.scaling.original_context_length, rope.dimension_count). */
    final java.util.Map<String, Integer> intKeys = new java.util.LinkedHashMap<>();
    /** Writes rope_factors_long/short.weight with these per-pair divisors (phi3's LongRoPE). */
    float[] ropeFactorsLong;
    float[] ropeFactorsShort;
    /** No output.weight: the LM head is token_embd, as in small Qwen2 models. */
    boolean tiedOutput = true;
    final Set<String> omitted = new HashSet<>();
    /** When set, the metadata claims this many KV heads while the tensors keep {@link #kvHeads}. */
    Integer declaredKvHeads;
    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private final SplittableRandom random = new SplittableRandom(7);

    Path write(Path dir) {
        String p = architecture + ".";
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", architecture)
                .putUint32(p + "context_length", context)
                .putUint32(p + "embedding_length", dim)
                .putUint32(p + "block_count", layers)
                .putUint32(p + "feed_forward_length", ffn)
                .putUint32(p + "attention.head_count", heads)
                .putUint32(p + "attention.head_count_kv", declaredKvHeads != null ? declaredKvHeads : kvHeads)
                .putFloat32(p + "attention.layer_norm_rms_epsilon", 1e-6f)
                .putFloat32(p + "rope.freq_base", ropeFreqBase);
        if (ropeScalingType != null) {
            w.putString(p + "rope.scaling.type", ropeScalingType).putFloat32(p + "rope.scaling.factor", ropeScalingFactor);
        }
        if (ropeFreqs != null) {
            add(w, "rope_freqs.weight", new long[] {ropeFreqs.length}, ropeFreqs);
        }
        if (ropeFactorsLong != null) {
            add(w, "rope_factors_long.weight", new long[] {ropeFactorsLong.length}, ropeFactorsLong);
            add(w, "rope_factors_short.weight", new long[] {ropeFactorsShort.length}, ropeFactorsShort);
        }
        floatKeys.forEach((k, v) -> w.putFloat32(p + k, v));
        intKeys.forEach((k, v) -> w.putUint32(p + k, v));
        int headDim = this.headDim != null ? this.headDim : dim / heads;
        if (this.headDim != null) {
            w.putUint32(p + "attention.key_length", headDim).putUint32(p + "attention.value_length", headDim);
        }
        tensor(w, "token_embd.weight", 1f, dim, vocab);
        for (int l = 0; l < layers; l++) {
            String blk = "blk." + l + ".";
            norm(w, blk + "attn_norm.weight", dim);
            if (fusedQkv) {
                tensor(w, blk + "attn_qkv.weight", 0.5f, dim, (heads + 2 * kvHeads) * headDim);
            } else {
                tensor(w, blk + "attn_q.weight", 0.5f, dim, heads * headDim);
                tensor(w, blk + "attn_k.weight", 0.5f, dim, kvHeads * headDim);
                tensor(w, blk + "attn_v.weight", 0.5f, dim, kvHeads * headDim);
            }
            if (qkNorm) {
                norm(w, blk + "attn_q_norm.weight", headDim);
                norm(w, blk + "attn_k_norm.weight", headDim);
            }
            if (qkvBiases) {
                tensor(w, blk + "attn_q.bias", 0.5f, heads * headDim);
                tensor(w, blk + "attn_k.bias", 0.5f, kvHeads * headDim);
                tensor(w, blk + "attn_v.bias", 0.5f, kvHeads * headDim);
            }
            tensor(w, blk + "attn_output.weight", 0.5f, heads * headDim, dim);
            if (outputBias) {
                tensor(w, blk + "attn_output.bias", 0.5f, dim);
            }
            if (postNorms) {
                norm(w, blk + "post_attention_norm.weight", dim);
            }
            norm(w, blk + "ffn_norm.weight", dim);
            if (fusedGateUp) {
                tensor(w, blk + "ffn_up.weight", 0.5f, dim, 2 * ffn);
            } else {
                tensor(w, blk + "ffn_gate.weight", 0.5f, dim, ffn);
                tensor(w, blk + "ffn_up.weight", 0.5f, dim, ffn);
            }
            tensor(w, blk + "ffn_down.weight", 0.5f, ffn, dim);
            if (postNorms) {
                norm(w, blk + "post_ffw_norm.weight", dim);
            }
        }
        norm(w, "output_norm.weight", dim);
        if (!tiedOutput) {
            tensor(w, "output.weight", 0.5f, dim, vocab);
        }
        Path file = dir.resolve(architecture + "-synthetic.gguf");
        w.write(file);
        return file;
    }

    /** Values uniform in ±amplitude; ggml shape order (row length first). */
    private void tensor(GgufWriter w, String name, float amplitude, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] values = new float[(int) n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * amplitude);
        }
        add(w, name, shape, values);
    }

    /** Norm weights near 1, as trained models have them. */
    private void norm(GgufWriter w, String name, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (0.8 + 0.4 * random.nextDouble());
        }
        add(w, name, new long[] {n}, values);
    }

    private void add(GgufWriter w, String name, long[] shape, float[] values) {
        if (!omitted.contains(name)) {
            // a byte[]-backed little-endian segment: what a GGUF file holds
            MemorySegment data = MemorySegment.ofArray(new byte[values.length * Float.BYTES]);
            MemorySegment.copy(values, 0, data, F32_LE, 0, values.length);
            w.addTensor(name, GgmlType.F32, shape, data);
        }
    }
}
