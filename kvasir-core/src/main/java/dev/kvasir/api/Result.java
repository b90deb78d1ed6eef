package dev.kvasir.api;

import dev.kvasir.generate.StopReason;
import dev.kvasir.generate.Timings;

/**
 * A finished generation.
 *
 * @param text            the generated text (without a stop string)
 * @param generatedTokens the generated ids (without an end-of-generation token)
 * @param stopReason      why it ended
 * @param promptTokens    ids of the whole prompt
 * @param cachedTokens    leading prompt ids that came from a prompt cache and were not computed
 * @param timings         prefill (of the computed prompt ids) and generation times
 */
public record Result(String text, int[] generatedTokens, StopReason stopReason, int promptTokens, int cachedTokens,
                     Timings timings) {
    public Result {
        generatedTokens = generatedTokens.clone();
    }

    @Override
    public int[] generatedTokens() {
        return generatedTokens.clone();
    }

    /** Prompt ids this call computed: the ones no cache held. */
    public int computedTokens() {
        return promptTokens - cachedTokens;
    }
}
