package dev.kvasir.api;

import dev.kvasir.generate.StopReason;
import dev.kvasir.generate.Timings;
import dev.kvasir.tools.ToolCall;
import java.util.List;

/**
 * A finished generation.
 *
 * @param text            the generated text (without a stop string)
 * @param generatedTokens the generated ids (without an end-of-generation token)
 * @param stopReason      why it ended
 * @param promptTokens    ids of the whole prompt
 * @param cachedTokens    leading prompt ids that came from a prompt cache and were not computed
 * @param timings         prefill (of the computed prompt ids) and generation times
 * @param toolCalls       the tools the answer calls (empty for a plain answer; {@code text} is then what it
 *                        says besides the calls)
 */
public record Result(String text, int[] generatedTokens, StopReason stopReason, int promptTokens, int cachedTokens,
                     Timings timings, List<ToolCall> toolCalls) {
    public Result {
        generatedTokens = generatedTokens.clone();
        toolCalls = List.copyOf(toolCalls);
    }

    /** The same result with the text and calls parsed out of the generated text. */
    Result withToolCalls(String content, List<ToolCall> calls) {
        return new Result(content, generatedTokens, stopReason, promptTokens, cachedTokens, timings, calls);
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
