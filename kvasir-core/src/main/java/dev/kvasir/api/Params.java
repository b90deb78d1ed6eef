package dev.kvasir.api;

import dev.kvasir.sample.SamplerSettings;
import dev.kvasir.tools.Tool;
import java.util.List;

/**
 * What one generation may produce and how tokens are chosen.
 *
 * @param maxTokens most tokens to generate (fewer when the context fills up first)
 * @param sampling  temperature, top-k/p, min-p, penalties and seed, with llama.cpp's meanings
 * @param stop      stop strings: the text ends before the first one (chat turns also stop at ChatML's end of turn)
 * @param format    the answer's shape (free text, JSON, JSON valid against a schema)
 * @param tools     functions a {@link KvasirModel#chat} answer may call (empty: none)
 * @param toolChoice whether the answer may, must or must not call them
 */
public record Params(int maxTokens, SamplerSettings sampling, List<String> stop, ResponseFormat format, List<Tool> tools,
                     ToolChoice toolChoice) {
    public Params {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens);
        }
        if (sampling == null) {
            throw new IllegalArgumentException("sampling settings are required; use SamplerSettings.defaults()");
        }
        stop = List.copyOf(stop);
        format = format == null ? ResponseFormat.text() : format;
        tools = List.copyOf(tools);
        toolChoice = toolChoice == null ? ToolChoice.AUTO : toolChoice;
        if (toolChoice == ToolChoice.REQUIRED && tools.isEmpty()) {
            throw new IllegalArgumentException("tool choice REQUIRED needs at least one tool");
        }
    }

    /** A plain-text request: no format, no tools. */
    public Params(int maxTokens, SamplerSettings sampling, List<String> stop) {
        this(maxTokens, sampling, stop, ResponseFormat.text(), List.of(), ToolChoice.AUTO);
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
        return new Params(n, sampling, stop, format, tools, toolChoice);
    }

    public Params withTemperature(double t) {
        return new Params(maxTokens, sampling.withTemperature((float) t), stop, format, tools, toolChoice);
    }

    public Params withTopP(double p) {
        return new Params(maxTokens, sampling.withTopP((float) p), stop, format, tools, toolChoice);
    }

    public Params withTopK(int k) {
        return new Params(maxTokens, sampling.withTopK(k), stop, format, tools, toolChoice);
    }

    public Params withSeed(long seed) {
        return new Params(maxTokens, sampling.withSeed(seed), stop, format, tools, toolChoice);
    }

    public Params withStop(List<String> strings) {
        return new Params(maxTokens, sampling, strings, format, tools, toolChoice);
    }

    public Params withSampling(SamplerSettings s) {
        return new Params(maxTokens, s, stop, format, tools, toolChoice);
    }

    /** The answer's shape: {@link ResponseFormat#jsonObject()}, {@link ResponseFormat#jsonSchema(String)}, ... */
    public Params withFormat(ResponseFormat f) {
        return new Params(maxTokens, sampling, stop, f, tools, toolChoice);
    }

    /** Functions a chat answer may call, and whether it may ({@code AUTO}), must or must not. */
    public Params withTools(List<Tool> list, ToolChoice choice) {
        return new Params(maxTokens, sampling, stop, format, list, choice);
    }
}
