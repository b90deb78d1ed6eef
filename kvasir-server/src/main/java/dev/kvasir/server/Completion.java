package dev.kvasir.server;

import dev.kvasir.generate.StopReason;

/** What one request produced, with OpenAI's token accounting. */
record Completion(String text, StopReason stopReason, int promptTokens, int cachedTokens, int completionTokens) {

    /** OpenAI's finish_reason: "length" when cut off, else "stop". */
    String finishReason() {
        return stopReason == StopReason.MAX_TOKENS || stopReason == StopReason.CONTEXT_FULL ? "length" : "stop";
    }
}
