package dev.kvasir.bench;

import java.util.Arrays;

/** Speeds of the repetitions of one test at one thread count, in tokens per second. */
public record BenchResult(BenchTest test, int threads, double[] tokensPerSecond) {
    public BenchResult {
        tokensPerSecond = tokensPerSecond.clone();
    }

    @Override
    public double[] tokensPerSecond() {
        return tokensPerSecond.clone();
    }

    public double mean() {
        return Arrays.stream(tokensPerSecond).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n - 1), as llama-bench reports; 0 for a single repetition. */
    public double stddev() {
        int n = tokensPerSecond.length;
        if (n < 2) {
            return 0;
        }
        double m = mean();
        double squares = Arrays.stream(tokensPerSecond).map(v -> (v - m) * (v - m)).sum();
        return Math.sqrt(squares / (n - 1));
    }
}
