package dev.kvasir.template;

import dev.kvasir.json.Json;
import dev.kvasir.json.JsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a chat in OpenAI request shape: either a {@code messages} array, or an object
 * {@code {"messages": [...], "tools": [...]}} (other keys are ignored, so a whole request body works).
 * Errors are one line naming the source and the JSON path, e.g. {@code chat.json: messages[2].role: ...}.
 */
public final class ChatJson {
    private ChatJson() {}

    /** Parses {@code json} read from {@code source} (a file name, used only in error messages). */
    public static ChatConversation parse(String json, String source, boolean addGenerationPrompt) {
        Object root;
        try {
            root = Json.parse(json);
        } catch (JsonException e) {
            throw new TemplateException(source + ": " + e.getMessage());
        }
        return conversation(root, source, addGenerationPrompt);
    }

    /** The same from an already parsed value (dev.kvasir.json types). */
    public static ChatConversation conversation(Object root, String source, boolean addGenerationPrompt) {
        Object messages = root;
        Object tools = null;
        if (root instanceof Map<?, ?> request) {
            if (!request.containsKey("messages")) {
                throw error(source, "", "the object has no \"messages\" array; give [{\"role\": ..., \"content\": ...}, ...]"
                        + " or {\"messages\": [...]}");
            }
            messages = request.get("messages");
            tools = request.get("tools");
        }
        return new ChatConversation(messages(messages, source), tools(tools, source), addGenerationPrompt);
    }

    private static List<ChatMessage> messages(Object value, String source) {
        if (!(value instanceof List<?> list)) {
            throw error(source, "messages", "expected an array of messages, found " + kind(value));
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(message(list.get(i), source, "messages[" + i + "]"));
        }
        return out;
    }

    private static ChatMessage message(Object value, String source, String where) {
        if (!(value instanceof Map<?, ?> m)) {
            throw error(source, where, "expected an object with \"role\" and \"content\", found " + kind(value));
        }
        String role = string(m, "role", source, where, false);
        String content = content(m.get("content"), source, where + ".content");
        List<Map<String, Object>> toolCalls = objects(m.get("tool_calls"), source, where + ".tool_calls");
        if (content == null && toolCalls == null) {
            throw error(source, where, "a message needs \"content\" (or, for an assistant, \"tool_calls\")");
        }
        return new ChatMessage(role, content, toolCalls, string(m, "tool_call_id", source, where, true),
                string(m, "name", source, where, true));
    }

    /** A string, or OpenAI content parts of which only text parts can reach a text-only template. */
    private static String content(Object value, String source, String where) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (!(value instanceof List<?> parts)) {
            throw error(source, where, "expected a string or an array of text parts, found " + kind(value));
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (!(parts.get(i) instanceof Map<?, ?> part) || !"text".equals(part.get("type"))
                    || !(part.get("text") instanceof String s)) {
                throw error(source, where + "[" + i + "]", "only {\"type\": \"text\", \"text\": \"...\"} parts are"
                        + " supported");
            }
            text.append(s);
        }
        return text.toString();
    }

    private static String string(Map<?, ?> m, String key, String source, String where, boolean optional) {
        Object value = m.get(key);
        if (value == null && optional) {
            return null;
        }
        if (!(value instanceof String s) || (!optional && s.isEmpty())) {
            throw error(source, where + "." + key, "expected a " + (optional ? "" : "non-empty ") + "string, found "
                    + kind(value));
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Object value, String source, String where) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw error(source, where, "expected an array of objects, found " + kind(value));
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?>)) {
                throw error(source, where + "[" + i + "]", "expected an object, found " + kind(list.get(i)));
            }
        }
        return (List<Map<String, Object>>) list;
    }

    private static List<Map<String, Object>> tools(Object value, String source) {
        return objects(value, source, "tools");
    }

    private static String kind(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            case Number n -> "a number";
            case List<?> l -> "an array";
            case Map<?, ?> m -> "an object";
            default -> value.getClass().getSimpleName();
        };
    }

    private static TemplateException error(String source, String where, String problem) {
        return new TemplateException(source + ": " + (where.isEmpty() ? "" : where + ": ") + problem);
    }
}
