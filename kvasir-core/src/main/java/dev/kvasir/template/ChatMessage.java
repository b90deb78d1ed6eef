package dev.kvasir.template;

import java.util.List;
import java.util.Map;

/**
 * One chat message in OpenAI request shape. {@code content} is null for an assistant turn that only
 * calls tools; {@code toolCalls} entries are maps {id, type: "function", function: {name, arguments}}
 * ({@code arguments} may be a JSON string or a map: templates differ in what they expect). Use ordered
 * maps (LinkedHashMap) for tool calls: {@code tojson} writes keys in iteration order, as Python does.
 */
public record ChatMessage(String role, String content, List<Map<String, Object>> toolCalls, String toolCallId,
        String name) {

    public ChatMessage {
        if (role == null || role.isEmpty()) {
            throw new TemplateException("chat message without a role: every message needs one (system, user, assistant, tool)");
        }
        toolCalls = toolCalls == null ? null : List.copyOf(toolCalls);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content, null, null, null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content, null, null, null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content, null, null, null);
    }

    public static ChatMessage tool(String content, String toolCallId, String name) {
        return new ChatMessage("tool", content, null, toolCallId, name);
    }

    /** The dict a template sees: role and content always, the other keys only when set (as in a request). */
    Map<String, Object> toTemplateValue() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        if (toolCalls != null) {
            m.put("tool_calls", toolCalls);
        }
        if (toolCallId != null) {
            m.put("tool_call_id", toolCallId);
        }
        if (name != null) {
            m.put("name", name);
        }
        return m;
    }
}
