package dev.kvasir.server;

import dev.kvasir.generate.StopReason;
import dev.kvasir.tools.ToolFormat;
import java.util.List;

/**
 * One generated answer of a request.
 *
 * @param logprobs per generated token, or null when not asked for
 * @param parsed   the text split into content and tool calls, or null when the request has no active tools
 */
record Choice(int index, String text, StopReason stopReason, int tokens, List<TokenLogprob> logprobs,
              ToolFormat.Parsed parsed) {

    boolean hasToolCalls() {
        return parsed != null && !parsed.calls().isEmpty();
    }

    /** The answer's text without its tool calls. */
    String content() {
        return parsed == null ? text : parsed.content();
    }

    /** OpenAI's finish_reason: "tool_calls" when the answer calls tools, "length" when cut off, else "stop". */
    String finishReason() {
        if (hasToolCalls()) {
            return "tool_calls";
        }
        return stopReason == StopReason.MAX_TOKENS || stopReason == StopReason.CONTEXT_FULL ? "length" : "stop";
    }
}
