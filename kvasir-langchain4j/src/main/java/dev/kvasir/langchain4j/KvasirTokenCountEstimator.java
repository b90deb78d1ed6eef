package dev.kvasir.langchain4j;

import dev.kvasir.api.KvasirModel;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact token counts with the model's own tokenizer: text as {@code kvasir generate} tokenizes a prompt (with
 * BOS when the model adds one), messages as the chat template renders them for an answer (the prompt a
 * {@link KvasirChatModel} call feeds). Thread-safe; it does not own the model.
 */
public final class KvasirTokenCountEstimator implements TokenCountEstimator {
    private final KvasirModel model;

    public KvasirTokenCountEstimator(KvasirModel model) {
        this.model = model;
    }

    @Override
    public int estimateTokenCountInText(String text) {
        return model.tokenize(text).length;
    }

    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
        return estimateTokenCountInMessages(List.of(message));
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
        List<ChatMessage> list = new ArrayList<>();
        messages.forEach(list::add);
        return model.chatTokens(Bridge.messages(list)).length;
    }
}
