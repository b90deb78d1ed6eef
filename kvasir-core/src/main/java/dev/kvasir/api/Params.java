package dev.kvasir.api;

import dev.kvasir.sample.SamplerSettings;
import java.util.List;

/**
 * What one generation may produce and how tokens are chosen.
 *
 * @param maxTokens most tokens to generate (fewer when the context fills up first)
 * @param sampling  temperature, top-k/p, min-p, penalties and seed, with llama.cpp's meanings
 * @param stop      stop strings: the text ends before the first one (chat turns also stop at ChatML's end of turn)
 */
public record Params(int maxTokens, SamplerSettings sampling, List<String> stop) {
    public Params {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens);
        }
        if (sampling == null) {
            throw new IllegalArgumentException("sampling settings are required; use SamplerSettings.defaults()");
        }
        stop = List.copyOf(stop);
    }

    /** llama.cpp's default sampling (temperature 0.8, top-k 40, top-p 0.95, min-p 0.05), 256 tokens. */
    public static Params defaults() {
        return new Params(256, SamplerSettings.defaults(), List.of());
    }

    /** Always the most likely token (temperature 0), 256 tokens: reproducible output. */
    public static Params greedy() {
        return new Params(256, SamplerSettings.greedy(), List.of());
    }

    public Params withMaxTokens(int n) {
        return new Params(n, sampling, stop);
    }

    public Params withTemperature(double t) {
        return new Params(maxTokens, sampling.withTemperature((float) t), stop);
    }

    public Params withTopP(double p) {
        return new Params(maxTokens, sampling.withTopP((float) p), stop);
    }

    public Params withTopK(int k) {
        return new Params(maxTokens, sampling.withTopK(k), stop);
    }

    public Params withSeed(long seed) {
        return new Params(maxTokens, sampling.withSeed(seed), stop);
    }

    public Params withStop(List<String> strings) {
        return new Params(maxTokens, sampling, strings);
    }

    public Params withSampling(SamplerSettings s) {
        return new Params(maxTokens, s, stop);
    }
}
