package dev.kvasir.tools;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A function the model may call, as in OpenAI's {@code tools[].function}.
 *
 * @param parameters the arguments' JSON schema (dev.kvasir.json values; an empty object schema when null)
 */
public record Tool(String name, String description, Object parameters) {
    public Tool {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a tool needs a name");
        }
        parameters = parameters == null ? Map.of("type", "object") : parameters;
    }

    /** The {@code {"type": "function", "function": {...}}} value chat templates read from {@code tools}. */
    public Map<String, Object> templateValue() {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", name);
        if (description != null) {
            function.put("description", description);
        }
        function.put("parameters", parameters);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "function");
        out.put("function", function);
        return out;
    }
}
