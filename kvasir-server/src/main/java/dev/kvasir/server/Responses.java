package dev.kvasir.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** OpenAI response and stream-chunk objects for chat and text completions. */
final class Responses {
    private final String id;
    private final String model;
    private final boolean chat;
    private final long created = System.currentTimeMillis() / 1000;

    Responses(String id, String model, boolean chat) {
        this.id = id;
        this.model = model;
        this.chat = chat;
    }

    ObjectNode full(Completion c) {
        ObjectNode root = header(chat ? "chat.completion" : "text_completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (chat) {
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", c.text());
        } else {
            choice.put("text", c.text());
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", c.finishReason());
        root.set("usage", usage(c));
        return root;
    }

    /** A chunk carrying {@code text}; the first chat chunk also carries the role. */
    ObjectNode delta(String text, boolean first) {
        ObjectNode root = header(chunkObject());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (chat) {
            ObjectNode delta = choice.putObject("delta");
            if (first) {
                delta.put("role", "assistant");
            }
            delta.put("content", text);
        } else {
            choice.put("text", text);
        }
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return root;
    }

    ObjectNode finish(Completion c) {
        ObjectNode root = header(chunkObject());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (chat) {
            choice.putObject("delta");
        } else {
            choice.put("text", "");
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", c.finishReason());
        return root;
    }

    /** The last chunk of a stream with {@code include_usage}: no choices, only usage. */
    ObjectNode usageChunk(Completion c) {
        ObjectNode root = header(chunkObject());
        root.putArray("choices");
        root.set("usage", usage(c));
        return root;
    }

    private String chunkObject() {
        return chat ? "chat.completion.chunk" : "text_completion";
    }

    private ObjectNode header(String object) {
        ObjectNode root = Fields.MAPPER.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        root.put("system_fingerprint", "kvasir");
        return root;
    }

    static ObjectNode usage(Completion c) {
        ObjectNode u = Fields.MAPPER.createObjectNode();
        u.put("prompt_tokens", c.promptTokens());
        u.put("completion_tokens", c.completionTokens());
        u.put("total_tokens", c.promptTokens() + c.completionTokens());
        u.putObject("prompt_tokens_details").put("cached_tokens", c.cachedTokens());
        return u;
    }

    static ArrayNode emptyArray() {
        return Fields.MAPPER.createArrayNode();
    }
}
