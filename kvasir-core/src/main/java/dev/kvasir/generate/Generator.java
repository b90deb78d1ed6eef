package dev.kvasir.generate;

import dev.kvasir.cache.KvCache;
import dev.kvasir.model.Model;
import dev.kvasir.tokenizer.TokenDecoder;
import dev.kvasir.tokenizer.Tokenizer;
import dev.kvasir.tokenizer.Vocabulary;
import java.nio.file.Path;

/**
 * The library entry point: a loaded model with its tokenizer, which turns text into tokens and
 * tokens into generations. The model runs one forward pass at a time, so use one generation at a time.
 */
public final class Generator implements AutoCloseable {
    private final Model model;
    private final Tokenizer tokenizer;
    private final GenerationBackend backend;

    public Generator(Model model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.backend = new ModelBackend(model::forward, model, tokenizer);
    }

    /** Loads a GGUF model and its tokenizer; one-line KvasirExceptions for bad files. */
    public static Generator load(Path path) {
        Model model = Model.load(path);
        try {
            return new Generator(model, Tokenizer.of(Vocabulary.fromGguf(model.gguf().metadata())));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public Model model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Prompt text to ids as llama.cpp does for a plain prompt: BOS when the model wants one, special tokens not parsed. */
    public int[] tokenize(String text) {
        return tokenizer.encode(text, true, false);
    }

    public KvCache newCache() {
        return model.newCache();
    }

    /** Starts a generation that continues from {@code cache}'s contents; tokens are computed as they are pulled. */
    public Generation start(GenerationRequest request, KvCache cache) {
        return new Generation(backend, request, cache);
    }

    /**
     * Continues an interrupted generation (e.g. from a checkpoint) whose output so far was {@code earlier}:
     * the text then equals an uninterrupted run's even when the interruption fell inside a UTF-8 character
     * or a partial stop-string match, since that held-back state is rebuilt from {@code earlier}.
     */
    public Generation resume(GenerationRequest request, KvCache cache, int[] earlier) {
        return new Generation(backend, request, cache, earlier);
    }

    /**
     * Like {@link #start(GenerationRequest, KvCache)}, with the model run through {@code forward}
     * (e.g. a scheduler that batches concurrent generations).
     */
    public Generation start(GenerationRequest request, KvCache cache, ForwardPass forward) {
        return new Generation(new ModelBackend(forward, model, tokenizer), request, cache);
    }

    /** Generates to the end, streaming each token to {@code listener}. */
    public GenerationResult generate(GenerationRequest request, KvCache cache, TokenListener listener) {
        return start(request, cache).run(listener);
    }

    @Override
    public void close() {
        model.close();
    }

    private record ModelBackend(ForwardPass pass, Model model, Tokenizer tokenizer) implements GenerationBackend {
        @Override
        public float[] forward(int[] tokens, int from, int n, KvCache cache) {
            return pass.forward(tokens, from, n, cache);
        }

        @Override
        public int contextLength() {
            return model.config().contextLength();
        }

        @Override
        public boolean isEndOfGeneration(int token) {
            return tokenizer.vocabulary().isEndOfGeneration(token);
        }

        @Override
        public TokenDecoder newDecoder() {
            return tokenizer.newDecoder();
        }
    }
}
