package dev.kvasir.model;

import dev.kvasir.cache.FullKvCache;
import dev.kvasir.cache.KvCache;
import dev.kvasir.cache.KvLayout;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.tokenizer.Tokenizer;
import java.nio.file.Path;

/**
 * A loaded decoder-only model of any supported {@link Architecture}: its configuration, its weights (mapped from the GGUF file) and the
 * forward pass. Close it to unmap the file. Not thread-safe: a model runs one forward pass at a time
 * because it reuses its activation buffers.
 */
public final class Model implements AutoCloseable {
    /** Tokens per prefill matrix product: large enough to amortize weight reads, small enough for cache-friendly buffers. */
    public static final int DEFAULT_PREFILL_CHUNK = 512;

    private final GgufFile file;
    private final ModelConfig config;
    private final ModelWeights weights;
    private final DecoderSpec spec;
    private Transformer transformer;
    private Tokenizer tokenizer;

    private Model(GgufFile file, ModelConfig config, ModelWeights weights, DecoderSpec spec) {
        this.file = file;
        this.config = config;
        this.weights = weights;
        this.spec = spec;
        this.transformer = new Transformer(config, weights, spec, DEFAULT_PREFILL_CHUNK);
    }

    /** Opens and validates a GGUF model; a one-line KvasirException says what is wrong with a bad file. */
    public static Model load(Path path) {
        GgufFile file = GgufFile.open(path);
        try {
            ModelConfig config = ModelConfig.fromGguf(file);
            TensorSource tensors = new TensorSource(file);
            ModelWeights weights = ModelWeights.load(tensors, config);
            DecoderSpec spec = config.architecture().family().spec(new FamilyFile(file, config, weights, tensors));
            tensors.requireAllUsed(config.architecture().ggufName());
            return new Model(file, config, weights, spec);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    public ModelWeights weights() {
        return weights;
    }

    /** What a cache for this model holds: the KV shape and each layer's kind (full, or gemma's sliding window). */
    public KvLayout kvLayout() {
        return transformer.layout();
    }

    /** What the architecture's family decided per layer (RoPE or NoPE, scales) and model-wide (multipliers). */
    public DecoderSpec spec() {
        return spec;
    }

    /**
     * The model's tokenizer, built from the file's vocabulary on first use (so that a model whose
     * tokenizer kind is not supported yet still loads for forward passes on token ids).
     */
    public synchronized Tokenizer tokenizer() {
        if (tokenizer == null) {
            tokenizer = Tokenizer.of(file);
        }
        return tokenizer;
    }

    /** The GGUF file the model was loaded from (its metadata holds the tokenizer and chat template). */
    public GgufFile gguf() {
        return file;
    }

    /** Sets how many prompt tokens go through the model per matrix product. */
    public void setPrefillChunk(int tokens) {
        if (tokens != transformer.chunkSize()) {
            transformer = new Transformer(config, weights, spec, tokens);
        }
    }

    public int prefillChunk() {
        return transformer.chunkSize();
    }

    /**
     * Feeds {@code tokens[from .. from+n)} at positions {@code cache.size() ..}, appends their keys
     * and values to {@code cache} and returns the logits of the last one. The returned array is
     * reused by the next call: copy it to keep it.
     *
     * @throws dev.kvasir.KvasirException when the tokens do not fit in the context or a token id is
     *                                    outside the vocabulary
     */
    public float[] forward(int[] tokens, int from, int n, KvCache cache) {
        return transformer.forward(tokens, from, n, cache);
    }

    /**
     * Decodes one step of several sequences together: {@code tokens[t]} is fed at position
     * {@code caches[t].size()} and appended to {@code caches[t]}. The weights are read once for the
     * whole batch, which is what makes concurrent decoding faster than taking turns; each returned
     * logits vector (the caller owns it) is bit-identical to {@link #forward} of that token alone.
     *
     * @throws IllegalArgumentException when the counts differ or a cache appears twice
     * @throws dev.kvasir.KvasirException when a sequence's context is full or a token id is outside the vocabulary
     */
    public float[][] decodeBatch(int[] tokens, KvCache[] caches) {
        return transformer.decode(tokens, caches);
    }

    /**
     * {@link #forward} at positions moved by {@code positionOffset}: the tokens are rotated as if
     * {@code positionOffset} more tokens came before them (used to check that shifting cached keys
     * equals computing them at the new positions).
     */
    public float[] forward(int[] tokens, int from, int n, KvCache cache, int positionOffset) {
        return transformer.forward(tokens, from, n, cache, positionOffset);
    }

    /**
     * Turns keys of this model, as stored in a cache (after RoPE), by {@code delta} positions: a
     * cached span moved to start {@code delta} positions later then has the keys it would have had
     * if computed there, within float rounding, since RoPE is a rotation by position.
     * {@code k} holds {@code n} token-major rows of {@code kvHeads × headDim} floats of layer {@code layer}.
     */
    public void shiftKeys(int layer, float[] k, int n, int delta) {
        transformer.shiftKeys(layer, k, n, delta);
    }

    /**
     * Selective recompute of a composed prompt (CacheBlend): re-evaluates the tokens at positions
     * {@code [from, cache.size())}, whose K/V the cache already holds, so they attend to what now
     * precedes them. All go through the first {@code selectLayers} layers; the {@code fraction} whose
     * K/V moved most there go through the rest; the others keep their cached K/V above. At fraction 1
     * the cache equals a prefill of the same tokens bit for bit. Returns how many tokens went
     * through every layer. {@code tokens} holds the ids of all cached positions.
     */
    public int recompute(KvCache cache, int[] tokens, int from, double fraction, int selectLayers) {
        return transformer.recompute(cache, tokens, from, fraction, selectLayers);
    }

    /** A fresh, empty cache for this model: every position kept, in F16 like llama.cpp's default. */
    public KvCache newCache() {
        return new FullKvCache(kvLayout());
    }

    @Override
    public void close() {
        file.close();
    }
}
