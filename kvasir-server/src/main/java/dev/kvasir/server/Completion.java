package dev.kvasir.server;

import java.util.List;

/** What one request produced: its choices ({@code n} of them), with OpenAI's token accounting. */
record Completion(List<Choice> choices, int promptTokens, int cachedTokens) {
    Completion {
        choices = List.copyOf(choices);
    }

    int completionTokens() {
        return choices.stream().mapToInt(Choice::tokens).sum();
    }
}
