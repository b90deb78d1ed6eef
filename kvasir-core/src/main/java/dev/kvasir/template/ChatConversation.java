package dev.kvasir.template;

import java.util.List;
import java.util.Map;

/**
 * What a chat prompt is rendered from, as in an OpenAI chat request: the messages, the tool definitions
 * (null when the request has none: templates test {@code tools is none}) and whether to end with the
 * assistant's header so that the model answers ({@code add_generation_prompt}). An empty message list is
 * allowed: templates decide (transformers renders it).
 */
public record ChatConversation(List<ChatMessage> messages, List<Map<String, Object>> tools,
                               boolean addGenerationPrompt) {

    public ChatConversation {
        if (messages == null) {
            throw new TemplateException("the chat has no messages list; give one (it may be empty)");
        }
        messages = List.copyOf(messages);
        tools = tools == null ? null : List.copyOf(tools);
    }

    /** A conversation without tools. */
    public static ChatConversation of(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return new ChatConversation(messages, null, addGenerationPrompt);
    }

    public ChatConversation withGenerationPrompt(boolean add) {
        return new ChatConversation(messages, tools, add);
    }
}
