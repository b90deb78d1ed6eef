package dev.kvasir.bench;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.KvCache;
import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.model.Model;
import dev.kvasir.tensor.Parallel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Time to first token for a long prompt: evaluated from scratch, versus loaded from its saved .kvc
 * prompt cache. The cache holds all prompt tokens but the last, because the first generated token
 * needs the last prompt token's logits, which a KV cache does not store: so the cached path is
 * load + one decode step + argmax, the scratch path prefill + argmax.
 */
public final class CacheTtft {
    /**
     * @param scratchSeconds prefill of the whole prompt and argmax
     * @param loadSeconds    {@link PromptCache#load} of the .kvc file (in the OS page cache: written just before)
     * @param cachedSeconds  load, one decode step and argmax
     * @param sameToken      both paths chose the same first token (they must)
     */
    public record Result(int promptTokens, int threads, double scratchSeconds, double loadSeconds, double cachedSeconds,
                         long fileBytes, boolean sameToken) {
        public double speedup() {
            return scratchSeconds / cachedSeconds;
        }
    }

    private final Model model;
    private final Benchmark tokens;

    public CacheTtft(Model model, long seed) {
        this.model = model;
        this.tokens = new Benchmark(model, seed);
    }

    /** Measures one prompt of {@code promptTokens} random tokens; the .kvc file is written in {@code dir} and deleted. */
    public Result measure(int promptTokens, int threads, Path dir) {
        int context = model.config().contextLength();
        if (promptTokens < 2 || promptTokens > context) {
            throw new KvasirException("the cache test prompt must have 2 to " + context + " tokens (the model's context), got "
                    + promptTokens);
        }
        Parallel.setThreads(threads);
        int[] prompt = tokens.randomTokens(promptTokens);
        long start = System.nanoTime();
        int scratchToken = argmax(model.forward(prompt, 0, promptTokens, model.newCache()));
        double scratch = (System.nanoTime() - start) / 1e9;

        Path file = dir.resolve("kvasir-bench-" + ProcessHandle.current().pid() + ".kvc");
        try {
            ModelIdentity identity = ModelIdentity.of(model);
            PromptCache saved = PromptCache.create(identity, CacheOptions.full());
            model.forward(prompt, 0, promptTokens - 1, saved.cache());
            saved.accepted(Arrays.copyOf(prompt, promptTokens - 1));
            long bytes = saved.save(file);

            start = System.nanoTime();
            PromptCache loaded = PromptCache.load(file, identity);
            double load = (System.nanoTime() - start) / 1e9;
            KvCache cache = loaded.cache();
            int cachedToken = argmax(model.forward(prompt, promptTokens - 1, 1, cache));
            double cached = (System.nanoTime() - start) / 1e9;
            return new Result(promptTokens, threads, scratch, load, cached, bytes, cachedToken == scratchToken);
        } finally {
            deleteQuietly(file);
        }
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            // a leftover temp file is harmless; the measurement stands
        }
    }
}
