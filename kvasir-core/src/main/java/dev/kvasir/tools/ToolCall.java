package dev.kvasir.tools;

import dev.kvasir.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** A call the model made: the function's name and its arguments as JSON text (OpenAI's {@code tool_calls[]}). */
public record ToolCall(String id, String name, String arguments) {

    /**
     * The {@code {id, type, function: {name, arguments}}} value for a chat template's assistant message;
     * arguments are passed parsed (a map), since most templates write them with {@code tojson}.
     */
    public Map<String, Object> templateValue() {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", name);
        Object args;
        try {
            args = Json.parse(arguments);
        } catch (RuntimeException e) {
            args = arguments;
        }
        function.put("arguments", args);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("type", "function");
        out.put("function", function);
        return out;
    }
}
