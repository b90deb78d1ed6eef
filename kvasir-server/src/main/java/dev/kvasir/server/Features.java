package dev.kvasir.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kvasir.json.Json;
import dev.kvasir.template.ChatMessage;
import dev.kvasir.tools.Tool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI request features beyond plain sampling: {@code response_format}, {@code tools} /
 * {@code tool_choice} / {@code parallel_tool_calls}, {@code logprobs} / {@code top_logprobs} and {@code n}.
 * Fields the server knows but cannot honour are refused here by name (docs/server.md lists them all).
 *
 * @param format      null (free text), or the output's grammar
 * @param tools       empty when the request has none
 * @param toolChoice  "auto", "none", "required", or a function's name ({@link #forcedFunction})
 * @param topLogprobs -1 without logprobs, else how many alternatives per token (0..20)
 */
record Features(ResponseFormat format, List<Tool> tools, String toolChoice, boolean forcedFunction,
                boolean parallelToolCalls, int n, int topLogprobs) {
    static final int MAX_N = 16;

    /** OpenAI's {@code response_format}: an object in JSON mode, or a JSON schema. */
    sealed interface ResponseFormat {
        /** {@code {"type": "json_object"}}. */
        record JsonObject() implements ResponseFormat {
        }

        /** {@code {"type": "json_schema", "json_schema": {"name", "schema", "strict"}}}; the schema is enforced either way. */
        record JsonSchema(String name, Object schema, boolean strict) implements ResponseFormat {
        }
    }

    boolean logprobs() {
        return topLogprobs >= 0;
    }

    /** Whether the answer may contain tool calls (then it is parsed for them). */
    boolean toolsActive() {
        return !tools.isEmpty() && !toolChoice.equals("none");
    }

    /** Whether a call is forced by the grammar. */
    boolean callForced() {
        return !tools.isEmpty() && (toolChoice.equals("required") || forcedFunction);
    }

    static Features parse(Fields f, boolean chat) {
        refuseUnsupported(f, chat);
        int n = f.integer("n", 1, MAX_N).map(Long::intValue).orElse(1);
        int top;
        if (chat) {
            boolean lp = f.bool("logprobs").orElse(false);
            int k = f.integer("top_logprobs", 0, 20).map(Long::intValue).orElse(0);
            if (f.has("top_logprobs") && !lp) {
                throw ApiException.invalid("top_logprobs", "'top_logprobs' needs 'logprobs': true");
            }
            top = lp ? k : -1;
        } else {
            top = f.integer("logprobs", 0, 5).map(Long::intValue).orElse(-1);
        }
        ResponseFormat format = f.object("response_format").map(Features::responseFormat).orElse(null);
        if (!chat) {
            for (String k : List.of("tools", "tool_choice", "parallel_tool_calls")) {
                if (f.has(k)) {
                    throw ApiException.invalid(k, "'" + k + "' is a chat field: send it to /v1/chat/completions");
                }
            }
            return new Features(format, List.of(), "none", false, true, n, top);
        }
        List<Tool> tools = tools(f);
        String choice = "auto";
        boolean named = false;
        JsonNode tc = f.raw("tool_choice");
        if (tc != null) {
            if (tc.isTextual() && List.of("auto", "none", "required").contains(tc.textValue())) {
                choice = tc.textValue();
            } else if (tc instanceof ObjectNode o && "function".equals(o.path("type").asText())
                    && o.path("function").path("name").isTextual()) {
                choice = o.path("function").path("name").textValue();
                named = true;
                String wanted = choice;
                if (tools.stream().noneMatch(t -> t.name().equals(wanted))) {
                    throw ApiException.invalid("tool_choice", "'tool_choice' names the function '" + choice
                            + "', which is not among 'tools'");
                }
            } else {
                throw ApiException.invalid("tool_choice", "'tool_choice' must be \"auto\", \"none\", \"required\" or"
                        + " {\"type\": \"function\", \"function\": {\"name\": NAME}}");
            }
            if (tools.isEmpty() && !choice.equals("none") && !choice.equals("auto")) {
                throw ApiException.invalid("tool_choice", "'tool_choice' " + choice + " needs 'tools'");
            }
        }
        boolean parallel = f.bool("parallel_tool_calls").orElse(true);
        Features out = new Features(format, tools, choice, named, parallel, n, top);
        if (format != null && out.callForced()) {
            throw ApiException.invalid("response_format", "'response_format' cannot apply when 'tool_choice' forces a"
                    + " tool call: the answer is the call");
        }
        return out;
    }

    private static ResponseFormat responseFormat(Fields rf) {
        String type = rf.string("type").orElseThrow(() -> ApiException.missing("response_format.type"));
        return switch (type) {
            case "text" -> null;
            case "json_object" -> new ResponseFormat.JsonObject();
            case "json_schema" -> {
                Fields js = rf.object("json_schema").orElseThrow(() -> ApiException.missing("response_format.json_schema"));
                String name = js.string("name").orElse("response");
                JsonNode schema = js.raw("schema");
                if (schema == null) {
                    schema = Fields.MAPPER.createObjectNode(); // OpenAI: no schema, any JSON
                }
                if (!schema.isObject() && !schema.isBoolean()) {
                    throw Fields.wrongType("response_format.json_schema.schema", "a JSON schema object", schema);
                }
                yield new ResponseFormat.JsonSchema(name, toValue(schema), js.bool("strict").orElse(false));
            }
            default -> throw ApiException.invalid("response_format.type", "'response_format.type' must be text,"
                    + " json_object or json_schema, got '" + type + "'");
        };
    }

    private static List<Tool> tools(Fields f) {
        JsonNode raw = f.raw("tools");
        if (raw == null) {
            return List.of();
        }
        if (!raw.isArray()) {
            throw Fields.wrongType("tools", "an array of tools", raw);
        }
        List<Tool> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String where = "tools[" + i + "]";
            JsonNode t = raw.get(i);
            if (!"function".equals(t.path("type").asText())) {
                throw ApiException.invalid(where + ".type", "'" + where + ".type' must be \"function\" (the only tool"
                        + " type a local model can call)");
            }
            JsonNode fn = t.path("function");
            if (!fn.path("name").isTextual()) {
                throw ApiException.missing(where + ".function.name");
            }
            JsonNode params = fn.get("parameters");
            out.add(new Tool(fn.get("name").textValue(), fn.path("description").isTextual()
                    ? fn.get("description").textValue() : null, params == null || params.isNull() ? null : toValue(params)));
        }
        return out;
    }

    /** An assistant message's {@code tool_calls}, a tool message's {@code tool_call_id} / {@code name}, into the message. */
    static ChatMessage message(Fields m, String where, String role, String content) {
        List<Map<String, Object>> calls = null;
        JsonNode raw = m.raw("tool_calls");
        if (raw != null) {
            if (!raw.isArray()) {
                throw Fields.wrongType(where + ".tool_calls", "an array of tool calls", raw);
            }
            calls = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                JsonNode c = raw.get(i);
                JsonNode fn = c.path("function");
                if (!fn.path("name").isTextual()) {
                    throw ApiException.missing(where + ".tool_calls[" + i + "].function.name");
                }
                String args = fn.path("arguments").isTextual() ? fn.get("arguments").textValue() : "{}";
                calls.add(new dev.kvasir.tools.ToolCall(c.path("id").asText(""), fn.get("name").textValue(), args)
                        .templateValue());
            }
        }
        String callId = m.string("tool_call_id").orElse(null);
        String name = m.string("name").orElse(null);
        return new ChatMessage(role, content == null ? (calls == null ? "" : null) : content, calls, callId, name);
    }

    /** Fields OpenAI defines that this server cannot honour: a 400 naming the field, never a silent default. */
    private static void refuseUnsupported(Fields f, boolean chat) {
        List<String> refused = chat
                ? List.of("functions", "function_call", "audio", "prediction", "web_search_options", "reasoning_effort",
                        "verbosity")
                : List.of("suffix");
        for (String k : refused) {
            if (f.has(k)) {
                throw ApiException.invalid(k, "'" + k + "' is not supported by this server"
                        + (k.startsWith("function") ? "; use 'tools' and 'tool_choice'" : ""));
            }
        }
        JsonNode bias = f.raw("logit_bias");
        if (bias != null && !(bias.isObject() && bias.isEmpty())) {
            throw ApiException.invalid("logit_bias", "'logit_bias' is not supported by this server");
        }
        if (f.bool("store").orElse(false)) {
            throw ApiException.invalid("store", "'store': true is not supported: this server keeps no completions");
        }
        JsonNode modalities = f.raw("modalities");
        if (modalities != null && !(modalities.isArray() && modalities.size() == 1 && "text".equals(modalities.get(0).asText()))) {
            throw ApiException.invalid("modalities", "'modalities' must be [\"text\"]: this model only writes text");
        }
        if (!chat) {
            if (f.bool("echo").orElse(false)) {
                throw ApiException.invalid("echo", "'echo': true is not supported by this server");
            }
            long n = f.integer("n", 1, MAX_N).orElse(1L);
            if (f.integer("best_of", 1, MAX_N).map(b -> b != n).orElse(false)) {
                throw ApiException.invalid("best_of", "'best_of' other than 'n' is not supported (no ranking of choices)");
            }
        }
    }

    /** A Jackson tree as dev.kvasir.json values (Map, List, String, Long, Double, Boolean, null). */
    static Object toValue(JsonNode node) {
        return Json.parse(HttpIo.text(node));
    }

    static Map<String, Object> ordered(Map<String, Object> m) {
        return new LinkedHashMap<>(m);
    }
}
