package dev.kvasir.model;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.KvLayout;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.gguf.GgufMetadata;

/**
 * The hyper-parameters of a llama-family decoder, read from GGUF metadata
 * ({@code {arch}.embedding_length} and friends).
 *
 * @param headDim          per-head size of Q and K ({@code attention.key_length}, else embedding / heads)
 * @param ropeFreqScale    linear RoPE scaling: positions are multiplied by it (1 = none)
 * @param ropeDimensions   how many leading values of each head RoPE rotates; the rest pass through
 * @param ropeScaling      the file's {@code rope.scaling.*} keys (YaRN, LongRoPE need more than the scale)
 */
public record ModelConfig(
        Architecture architecture,
        int embeddingLength,
        int blockCount,
        int headCount,
        int headCountKv,
        int headDim,
        int feedForwardLength,
        int contextLength,
        float rmsNormEps,
        float ropeFreqBase,
        float ropeFreqScale,
        int ropeDimensions,
        int vocabSize,
        RopeScaling ropeScaling) {

    /** llama.cpp's default when a file does not say. */
    static final float DEFAULT_ROPE_FREQ_BASE = 10000f;

    /** A configuration with plain linear RoPE scaling (no YaRN, no LongRoPE). */
    public ModelConfig(Architecture architecture, int embeddingLength, int blockCount, int headCount, int headCountKv,
                       int headDim, int feedForwardLength, int contextLength, float rmsNormEps, float ropeFreqBase,
                       float ropeFreqScale, int ropeDimensions, int vocabSize) {
        this(architecture, embeddingLength, blockCount, headCount, headCountKv, headDim, feedForwardLength, contextLength,
                rmsNormEps, ropeFreqBase, ropeFreqScale, ropeDimensions, vocabSize,
                new RopeScaling("linear", ropeFreqScale == 1f ? 0f : 1f / ropeFreqScale, contextLength, 1f));
    }

    public ModelConfig {
        requirePositive("embedding_length", embeddingLength);
        requirePositive("block_count", blockCount);
        requirePositive("attention.head_count", headCount);
        requirePositive("attention.head_count_kv", headCountKv);
        requirePositive("attention.key_length", headDim);
        requirePositive("feed_forward_length", feedForwardLength);
        requirePositive("context_length", contextLength);
        requirePositive("vocabulary size", vocabSize);
        if (headCount % headCountKv != 0) {
            throw invalid("attention.head_count (" + headCount + ") is not a multiple of attention.head_count_kv ("
                    + headCountKv + ")");
        }
        if (ropeDimensions <= 0 || ropeDimensions > headDim || ropeDimensions % 2 != 0) {
            throw invalid("rope.dimension_count (" + ropeDimensions + ") must be even and at most the head size ("
                    + headDim + ")");
        }
        if (!(rmsNormEps > 0) || !(ropeFreqBase > 0) || !(ropeFreqScale > 0)) {
            throw invalid("layer_norm_rms_epsilon (" + rmsNormEps + "), rope.freq_base (" + ropeFreqBase
                    + ") and the RoPE scale (" + ropeFreqScale + ") must be positive");
        }
    }

    /** Reads the configuration of {@code file}; throws a one-line KvasirException on anything missing or inconsistent. */
    public static ModelConfig fromGguf(GgufFile file) {
        GgufMetadata meta = file.metadata();
        Architecture arch = Architecture.of(meta.getString("general.architecture"), file.path());
        String p = arch.ggufName() + ".";
        int embedding = meta.getInt(p + "embedding_length");
        int heads = meta.getInt(p + "attention.head_count");
        int headDim = meta.getInt(p + "attention.key_length", heads > 0 ? embedding / heads : 0);
        int valueLength = meta.getInt(p + "attention.value_length", headDim);
        if (valueLength != headDim) {
            throw new KvasirException(file.path() + ": attention.value_length " + valueLength
                    + " differs from attention.key_length " + headDim + ", which is not supported");
        }
        int context = meta.getInt(p + "context_length");
        RopeScaling scaling = RopeScaling.fromGguf(file, p, context);
        try {
            return new ModelConfig(
                    arch,
                    embedding,
                    meta.getInt(p + "block_count"),
                    heads,
                    meta.getInt(p + "attention.head_count_kv", heads),
                    headDim,
                    meta.getInt(p + "feed_forward_length"),
                    context,
                    meta.getFloat(p + "attention.layer_norm_rms_epsilon"),
                    meta.getFloat(p + "rope.freq_base", DEFAULT_ROPE_FREQ_BASE),
                    scaling.freqScale(),
                    meta.getInt(p + "rope.dimension_count", headDim),
                    vocabSize(file),
                    scaling);
        } catch (InvalidConfig e) {
            throw new KvasirException(file.path() + ": " + e.getMessage()
                    + "; the file's metadata is inconsistent, re-convert the model");
        }
    }

    /** The token list decides, as in llama.cpp; files without one fall back to token_embd's row count. */
    private static int vocabSize(GgufFile file) {
        GgufMetadata meta = file.metadata();
        if (meta.has("tokenizer.ggml.tokens")) {
            return meta.getStringArray("tokenizer.ggml.tokens").length;
        }
        return file.tensor(ModelWeights.TOKEN_EMBD)
                .map(t -> t.shape().length == 2 ? (int) t.shape()[1] : 0)
                .orElseThrow(() -> new KvasirException(file.path()
                        + ": no tokenizer.ggml.tokens and no tensor '" + ModelWeights.TOKEN_EMBD
                        + "', so the vocabulary size is unknown"));
    }

    /** Floats of all query heads of one token. */
    public int queryDim() {
        return headCount * headDim;
    }

    /** Floats of all K (or V) heads of one token. */
    public int kvDim() {
        return headCountKv * headDim;
    }

    /** What a KV cache for this model must hold per token, every layer full; {@code Model.kvLayout()} adds the family's sliding-window layers. */
    public KvLayout kvLayout() {
        return new KvLayout(blockCount, headCountKv, headDim);
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw invalid(key + " is " + value + " but must be positive");
        }
    }

    private static InvalidConfig invalid(String message) {
        return new InvalidConfig(message);
    }

    /** Lets {@link #fromGguf} prefix the file name to validation failures raised by the constructor. */
    static final class InvalidConfig extends KvasirException {
        InvalidConfig(String message) {
            super(message);
        }
    }
}
