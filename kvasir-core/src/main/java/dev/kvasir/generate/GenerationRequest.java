package dev.kvasir.generate;

import dev.kvasir.constrain.GrammarMatcher;
import dev.kvasir.sample.Sampler;
import dev.kvasir.sample.SamplerSettings;
import java.util.List;

/**
 * What to generate: {@code input} tokens are fed after whatever the cache already holds (at least one,
 * since the first sample needs the logits of the last position), then up to {@code maxTokens} tokens
 * are sampled. The sampler is stateful: pass a restored one to resume a checkpointed generation. The
 * input tokens are recorded in the sampler's penalty history (as llama-server does with the prompt);
 * tokens already in the cache are not, so a continuation keeps its history by reusing the sampler.
 * {@code constraint} (nullable) restricts every sampled token to a grammar (JSON schema, tool call): it is
 * stateful like the sampler, and end-of-generation is only sampled once its output is complete.
 */
public record GenerationRequest(int[] input, int maxTokens, Sampler sampler, List<String> stopStrings,
                                Cancellation cancellation, GrammarMatcher constraint) {
    public GenerationRequest {
        if (input.length == 0) {
            throw new IllegalArgumentException("a generation needs at least one input token");
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens);
        }
        input = input.clone();
        stopStrings = List.copyOf(stopStrings);
    }

    /** An unconstrained request. */
    public GenerationRequest(int[] input, int maxTokens, Sampler sampler, List<String> stopStrings,
                             Cancellation cancellation) {
        this(input, maxTokens, sampler, stopStrings, cancellation, null);
    }

    public static GenerationRequest of(int[] input, int maxTokens, SamplerSettings settings) {
        return new GenerationRequest(input, maxTokens, new Sampler(settings), List.of(), Cancellation.none());
    }

    @Override
    public int[] input() {
        return input.clone();
    }

    public GenerationRequest withStopStrings(List<String> stops) {
        return new GenerationRequest(input, maxTokens, sampler, stops, cancellation, constraint);
    }

    public GenerationRequest withCancellation(Cancellation c) {
        return new GenerationRequest(input, maxTokens, sampler, stopStrings, c, constraint);
    }

    /** The same request with every token restricted to {@code matcher}'s grammar (null: unconstrained). */
    public GenerationRequest withConstraint(GrammarMatcher matcher) {
        return new GenerationRequest(input, maxTokens, sampler, stopStrings, cancellation, matcher);
    }
}
