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

/**
 * Writes a llama GGUF of a given {@link ModelShape} with random weights, the vocabulary and tokenizer
 * metadata of a donor GGUF, and matrices in one weight type (norms stay F32, as llama.cpp requires).
 * Tensor data is generated while the file is written, a few rows at a time.
 */
public final class SyntheticModel {
    /** Floats generated and quantized per step: bounds memory whatever the model size. */
    private static final int BLOCK_FLOATS = 1 << 20;

    private final ModelShape shape;
    private final GgmlType type;
    private final RandomWeights weights;

    public SyntheticModel(ModelShape shape, GgmlType type, long seed) {
        if (!Quantizer.supports(type)) {
            throw new KvasirException("cannot synthesize " + type + " weights; use f32, f16, bf16, q8_0, q4_0, q4_1, q4_k, q5_k or q6_k");
        }
        this.shape = shape;
        this.type = type;
        this.weights = new RandomWeights(seed, RandomWeights.DEFAULT_SIGMA);
    }

    /** Writes the model to {@code out} (atomically) with the vocabulary of {@code donor}. */
    public void write(Path donor, Path out) {
        try (GgufFile vocab = GgufFile.open(donor)) {
            GgufMetadata meta = vocab.metadata();
            if (!meta.has("tokenizer.ggml.tokens")) {
                throw new KvasirException(donor + ": has no tokenizer.ggml.tokens; use a GGUF model with a vocabulary as --vocab-from");
            }
            int vocabSize = meta.getStringArray("tokenizer.ggml.tokens").length;
            GgufWriter writer = new GgufWriter();
            putHyperParameters(writer, vocabSize);
            for (String key : meta.keys()) {
                if (key.startsWith("tokenizer.")) {
                    writer.put(key, meta.type(key), meta.raw(key));
                }
            }
            addTensors(writer, vocabSize);
            writer.write(out);
        }
    }

    private void putHyperParameters(GgufWriter w, int vocabSize) {
        w.putString("general.architecture", "llama")
                .putString("general.name", shape.name() + " (random " + type + " weights)")
                .putUint32("general.file_type", LlamaFileType.of(type))
                .putUint32("general.quantization_version", 2)
                .putUint32("llama.context_length", shape.contextLength())
                .putUint32("llama.embedding_length", shape.embeddingLength())
                .putUint32("llama.block_count", shape.blockCount())
                .putUint32("llama.feed_forward_length", shape.feedForwardLength())
                .putUint32("llama.rope.dimension_count", shape.headDim())
                .putUint32("llama.attention.head_count", shape.headCount())
                .putUint32("llama.attention.head_count_kv", shape.headCountKv())
                .putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .putFloat32("llama.rope.freq_base", shape.ropeFreqBase())
                .putUint32("llama.vocab_size", vocabSize);
    }

    private void addTensors(GgufWriter w, int vocabSize) {
        int d = shape.embeddingLength();
        matrix(w, "token_embd.weight", vocabSize, d);
        for (int l = 0; l < shape.blockCount(); l++) {
            String p = "blk." + l + ".";
            norm(w, p + "attn_norm.weight", d);
            matrix(w, p + "attn_q.weight", d, d);
            matrix(w, p + "attn_k.weight", shape.kvDim(), d);
            matrix(w, p + "attn_v.weight", shape.kvDim(), d);
            matrix(w, p + "attn_output.weight", d, d);
            norm(w, p + "ffn_norm.weight", d);
            matrix(w, p + "ffn_gate.weight", shape.feedForwardLength(), d);
            matrix(w, p + "ffn_up.weight", shape.feedForwardLength(), d);
            matrix(w, p + "ffn_down.weight", d, shape.feedForwardLength());
        }
        norm(w, "output_norm.weight", d);
        matrix(w, "output.weight", vocabSize, d);
    }

    /** RMS-norm gains of one: the identity scale, as at initialization. */
    private static void norm(GgufWriter w, String name, int n) {
        w.addTensor(name, GgmlType.F32, new long[] {n}, out -> {
            ByteBuffer ones = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            while (ones.hasRemaining()) {
                ones.putFloat(1f);
            }
            ByteSource.writeFully(out, ones.flip());
        });
    }

    /** A rows×cols matrix (ggml shape [cols, rows]) streamed in blocks of whole rows. */
    private void matrix(GgufWriter w, String name, int rows, int cols) {
        if (cols % type.blockSize() != 0) {
            throw new KvasirException(name + ": rows of " + cols + " elements cannot be stored as " + type
                    + " (block of " + type.blockSize() + "); choose another --type for shape '" + shape.name() + "'");
        }
        int rowsPerBlock = Math.max(1, BLOCK_FLOATS / cols);
        w.addTensor(name, type, new long[] {cols, rows}, out -> {
            float[] values = new float[rowsPerBlock * cols];
            for (int r = 0, block = 0; r < rows; r += rowsPerBlock, block++) {
                int n = Math.min(rowsPerBlock, rows - r);
                weights.fill(name, block, values);
                ByteSource.writeFully(out, ByteBuffer.wrap(Quantizer.quantize(type, values, n, cols)));
            }
        });
    }
}
