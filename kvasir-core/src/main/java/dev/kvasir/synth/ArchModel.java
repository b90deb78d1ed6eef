package dev.kvasir.synth;

import dev.kvasir.KvasirException;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.gguf.GgufMetadata;
import dev.kvasir.gguf.GgufWriter;
import dev.kvasir.io.ByteSource;
import dev.kvasir.tensor.GgmlType;
import dev.kvasir.tensor.Quantizer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a tiny random-weight GGUF of one {@link ArchShape} family with a donor's real vocabulary:
 * the tensors and keys llama.cpp's loader for that architecture expects, so llama.cpp and Kvasir can
 * be compared on it token for token. The bytes depend only on (shape, type, seed, donor).
 *
 * <p>Weight scales keep greedy output from being degenerate (measured with llama.cpp): a tied LM head
 * makes every model repeat its input token (logits ≈ E·E[token]), so {@code output.weight} is its
 * own matrix, sigma 0.5 (logits spread over about 4 units at n_embd 64); attention and FFN matrices
 * have sigma 0.3 (rows of norm about 2.4, so every block moves the residual stream and the context
 * matters); embeddings have unit variance; norm gains are 1 ± 0.1. With sigma 0.15 / 0.3 the text
 * still varies but later blocks barely change it.
 */
public final class ArchModel {
    static final float EMBEDDING_SIGMA = 1f;
    static final float MATRIX_SIGMA = 0.3f;
    static final float OUTPUT_SIGMA = 0.5f;
    static final float NORM_SIGMA = 0.1f;
    /**
     * gemma2's LM head is always token_embd (llama.cpp loads no output.weight for it). Embeddings of
     * sigma 0.3 times sqrt(64): the scaled input (RMS 2.4) no longer drowns the blocks' post-normed
     * outputs, so the model does not just repeat its input, and logits still spread over about 2.4 units.
     */
    static final float GEMMA2_EMBEDDING_SIGMA = 0.3f;
    private static final String NO_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";

    private final ArchShape shape;
    private final GgmlType type;
    private final long seed;

    public ArchModel(ArchShape shape, GgmlType type, long seed) {
        if (type != GgmlType.F32 && type != GgmlType.F16 && type != GgmlType.Q8_0) {
            throw new KvasirException("cannot synthesize " + type + " weights for --arch; use f32, f16 or q8_0");
        }
        this.shape = shape;
        this.type = type;
        this.seed = seed;
    }

    /** Writes the model to {@code out} (atomically) with the vocabulary of {@code donor}. */
    public void write(Path donor, Path out) {
        try (GgufFile vocab = GgufFile.open(donor)) {
            GgufMetadata meta = vocab.metadata();
            if (!meta.has("tokenizer.ggml.tokens")) {
                throw new KvasirException(donor + ": has no tokenizer.ggml.tokens; use a GGUF with a vocabulary as --vocab-from");
            }
            int vocabSize = meta.getStringArray("tokenizer.ggml.tokens").length;
            GgufWriter w = new GgufWriter();
            putHyperParameters(w);
            for (String key : meta.keys()) {
                if (key.startsWith("tokenizer.") && !(gemma() && key.equals(NO_SPACE_PREFIX))) {
                    w.put(key, meta.type(key), meta.raw(key));
                }
            }
            if (gemma()) {
                // Gemma's SentencePiece vocabulary adds no leading space (its GGUFs say add_space_prefix false)
                w.putBool(NO_SPACE_PREFIX, false);
            }
            if (shape.pre() != null) {
                w.putString("tokenizer.ggml.pre", shape.pre());
            }
            addTensors(w, vocabSize);
            w.write(out);
        }
    }

    private void putHyperParameters(GgufWriter w) {
        String p = shape.arch() + ".";
        w.putString("general.architecture", shape.arch())
                .putString("general.name", "synthetic " + shape.arch() + " (random " + type + " weights, seed " + seed + ")")
                .putUint32("general.file_type", LlamaFileType.of(type))
                .putUint32("general.quantization_version", 2)
                .putUint32(p + "context_length", shape.contextLength())
                .putUint32(p + "embedding_length", shape.embeddingLength())
                .putUint32(p + "block_count", shape.blockCount())
                .putUint32(p + "feed_forward_length", shape.feedForwardLength())
                .putUint32(p + "attention.head_count", shape.headCount())
                .putUint32(p + "attention.head_count_kv", shape.headCountKv())
                .putUint32(p + "attention.key_length", shape.headDim())
                .putUint32(p + "attention.value_length", shape.headDim())
                .putUint32(p + "rope.dimension_count", shape.ropeDimensions())
                .putFloat32(p + "attention.layer_norm_rms_epsilon", 1e-6f)
                .putFloat32(p + "rope.freq_base", shape.ropeFreqBase());
        shape.stringKeys().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> w.putString(p + e.getKey(), e.getValue()));
        shape.intKeys().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> w.putUint32(p + e.getKey(), e.getValue()));
        shape.floatKeys().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> w.putFloat32(p + e.getKey(), e.getValue()));
    }

    private void addTensors(GgufWriter w, int vocabSize) {
        int d = shape.embeddingLength();
        int ff = shape.feedForwardLength();
        boolean phi3 = shape.arch().equals("phi3");
        matrix(w, "token_embd.weight", vocabSize, d, tiedHead() ? GEMMA2_EMBEDDING_SIGMA : EMBEDDING_SIGMA);
        if (phi3) {
            int pairs = shape.ropeDimensions() / 2;
            factors(w, "rope_factors_long.weight", pairs, 4f);
            factors(w, "rope_factors_short.weight", pairs, 1.5f);
        }
        for (int l = 0; l < shape.blockCount(); l++) {
            String p = "blk." + l + ".";
            norm(w, p + "attn_norm.weight", d);
            if (phi3) {
                matrix(w, p + "attn_qkv.weight", shape.queryDim() + 2 * shape.kvDim(), d, MATRIX_SIGMA);
            } else {
                matrix(w, p + "attn_q.weight", shape.queryDim(), d, MATRIX_SIGMA);
                matrix(w, p + "attn_k.weight", shape.kvDim(), d, MATRIX_SIGMA);
                matrix(w, p + "attn_v.weight", shape.kvDim(), d, MATRIX_SIGMA);
            }
            if (shape.arch().equals("qwen3") || shape.arch().equals("gemma3")) {
                norm(w, p + "attn_q_norm.weight", shape.headDim());
                norm(w, p + "attn_k_norm.weight", shape.headDim());
            }
            matrix(w, p + "attn_output.weight", d, shape.queryDim(), MATRIX_SIGMA);
            if (gemma()) {
                norm(w, p + "post_attention_norm.weight", d);
            }
            norm(w, p + "ffn_norm.weight", d);
            if (phi3) {
                matrix(w, p + "ffn_up.weight", 2 * ff, d, MATRIX_SIGMA);
            } else {
                matrix(w, p + "ffn_gate.weight", ff, d, MATRIX_SIGMA);
                matrix(w, p + "ffn_up.weight", ff, d, MATRIX_SIGMA);
            }
            matrix(w, p + "ffn_down.weight", d, ff, MATRIX_SIGMA);
            if (gemma()) {
                norm(w, p + "post_ffw_norm.weight", d);
            }
        }
        norm(w, "output_norm.weight", d);
        if (!tiedHead()) {
            matrix(w, "output.weight", vocabSize, d, OUTPUT_SIGMA);
        }
    }

    private boolean tiedHead() {
        return shape.arch().equals("gemma2");
    }

    /** gemma2 and gemma3 have post-attention and post-FFN norms and their own tokenizer flag. */
    private boolean gemma() {
        return shape.arch().startsWith("gemma");
    }

    /** RMS-norm gains 1 ± 0.1 (F32, as llama.cpp requires for norms). */
    private void norm(GgufWriter w, String name, int n) {
        SplittableRandom r = random(name);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (1 + r.nextGaussian() * NORM_SIGMA);
        }
        f32(w, name, values);
    }

    /** LongRoPE divisors rising from 1 to {@code top} over the pairs, as trained factors do. */
    private static void factors(GgufWriter w, String name, int pairs, float top) {
        float[] values = new float[pairs];
        for (int i = 0; i < pairs; i++) {
            values[i] = 1f + (top - 1f) * i / Math.max(1, pairs - 1);
        }
        f32(w, name, values);
    }

    private static void f32(GgufWriter w, String name, float[] values) {
        w.addTensor(name, GgmlType.F32, new long[] {values.length}, out -> {
            ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                b.putFloat(v);
            }
            ByteSource.writeFully(out, b.flip());
        });
    }

    private void matrix(GgufWriter w, String name, int rows, int cols, float sigma) {
        w.addTensor(name, type, new long[] {cols, rows}, out -> {
            SplittableRandom r = random(name);
            float[] values = new float[rows * cols];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (r.nextGaussian() * sigma);
            }
            ByteSource.writeFully(out, ByteBuffer.wrap(Quantizer.quantize(type, values, rows, cols)));
        });
    }

    /** One stream per tensor: a tensor's values do not depend on which other tensors the family has. */
    private SplittableRandom random(String tensor) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ tensor.hashCode());
    }
}
