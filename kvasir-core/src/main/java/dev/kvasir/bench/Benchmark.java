package dev.kvasir.bench;

import dev.kvasir.cache.KvCache;
import dev.kvasir.model.Model;
import dev.kvasir.tensor.Parallel;
import java.util.SplittableRandom;

/**
 * Times prompt processing and token generation the way llama-bench does: random token ids (no
 * tokenizer, no sampling), an empty cache per repetition, one untimed warm-up run per test.
 */
public final class Benchmark {
    private final Model model;
    private final SplittableRandom random;

    public Benchmark(Model model, long seed) {
        this.model = model;
        this.random = new SplittableRandom(seed);
    }

    public BenchResult run(BenchTest test, int threads, int repetitions) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be at least 1, got " + repetitions);
        }
        Parallel.setThreads(threads);
        warmUp(test);
        double[] speeds = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            speeds[r] = test.tokens() / seconds(test);
        }
        return new BenchResult(test, threads, speeds);
    }

    /**
     * Untimed warm-up runs for at least {@link #WARM_UP_NANOS} (one run when a run takes longer): C2
     * compiles a method after thousands of calls, which one 16-token decode of a tiny model does not
     * reach, so its first timed repetitions ran interpreted code and stories260K's tg64 varied 5x.
     */
    private void warmUp(BenchTest test) {
        long end = System.nanoTime() + WARM_UP_NANOS;
        do {
            seconds(test.warmUp());
        } while (System.nanoTime() < end);
    }

    private static final long WARM_UP_NANOS = 2_000_000_000L;

    private double seconds(BenchTest test) {
        int[] tokens = randomTokens(test.tokens());
        KvCache cache = model.newCache();
        long start = System.nanoTime();
        if (test.kind() == BenchTest.Kind.PROMPT) {
            model.forward(tokens, 0, tokens.length, cache);
        } else {
            for (int i = 0; i < tokens.length; i++) {
                model.forward(tokens, i, 1, cache);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    int[] randomTokens(int n) {
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = random.nextInt(model.config().vocabSize());
        }
        return tokens;
    }
}
