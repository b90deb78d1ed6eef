package dev.kvasir.tools;

import dev.kvasir.constrain.Grammar;
import dev.kvasir.json.Json;
import dev.kvasir.template.ChatConversation;
import dev.kvasir.template.ChatMessage;
import dev.kvasir.template.ChatPrompt;
import dev.kvasir.template.TemplateException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a model family writes tool calls, after llama.cpp's common/chat.cpp: the text to parse calls from,
 * and a grammar forcing a valid call (OpenAI's {@code tool_choice: "required"} or a named function).
 * <ul>
 *   <li>{@link #HERMES}: Hermes 2 Pro, Qwen 2.5 / Qwen3 and templates without a tool format of their own:
 *       {@code <tool_call>\n{"name": NAME, "arguments": {...}}\n</tool_call>}, one block per call;</li>
 *   <li>{@link #LLAMA3}: Llama 3.1 / 3.2 JSON tool calling: {@code {"name": NAME, "parameters": {...}}};</li>
 *   <li>{@link #MISTRAL}: Mistral Nemo: {@code [TOOL_CALLS][{"name": NAME, "arguments": {...}, "id": ID}]}
 *       ({@code [TOOL_CALLS]} is a control token: it produces no text, so the forced form is the array).</li>
 * </ul>
 */
public enum ToolFormat {
    HERMES("arguments"),
    LLAMA3("parameters"),
    MISTRAL("arguments");

    /** At most this many calls in one forced parallel answer. */
    public static final int MAX_PARALLEL_CALLS = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String argumentsKey;

    ToolFormat(String argumentsKey) {
        this.argumentsKey = argumentsKey;
    }

    /**
     * The format of {@code prompt}'s template, found by rendering a probe conversation with a tool and a
     * call; Hermes for templates that render neither (they ignore tools: see {@link #templateIgnoresTools}).
     */
    public static ToolFormat detect(ChatPrompt prompt) {
        String text;
        try {
            text = prompt.render(probe());
        } catch (TemplateException e) {
            try { // strict templates (Mistral's role alternation) may refuse the call probe: the tool list alone
                text = prompt.render(new ChatConversation(List.of(ChatMessage.user("hi")), probe().tools(), true));
            } catch (TemplateException again) {
                return HERMES;
            }
        }
        if (text.contains("[TOOL_CALLS]") || text.contains("[AVAILABLE_TOOLS]")) {
            return MISTRAL;
        }
        if (text.contains("<tool_call>")) {
            return HERMES;
        }
        if (text.contains("\"parameters\"") && (text.contains("<|eom_id|>") || text.contains("ipython")
                || text.contains("<|start_header_id|>"))) {
            return LLAMA3;
        }
        return HERMES;
    }

    /** Whether the template writes nothing of the tools it is given (the ChatML fallback, plain templates). */
    public static boolean templateIgnoresTools(ChatPrompt prompt) {
        List<ChatMessage> user = List.of(ChatMessage.user("hi"));
        try {
            return prompt.render(new ChatConversation(user, probe().tools(), true))
                    .equals(prompt.render(new ChatConversation(user, null, true)));
        } catch (TemplateException e) {
            return true;
        }
    }

    private static ChatConversation probe() {
        Tool tool = new Tool("probe_tool", "probe", Map.of("type", "object", "properties",
                Map.of("x", Map.of("type", "string"))));
        ToolCall call = new ToolCall("abcdefghi", "probe_tool", "{\"x\": \"y\"}");
        List<ChatMessage> messages = List.of(ChatMessage.user("hi"),
                new ChatMessage("assistant", null, List.of(call.templateValue()), null, null),
                ChatMessage.tool("ok", "abcdefghi", "probe_tool"), ChatMessage.user("thanks"));
        return new ChatConversation(messages, List.of(tool.templateValue()), true);
    }

    /**
     * A system message that describes the tools in Hermes' words, for templates that ignore tools (so the
     * model sees them at all), and the messages rewritten so calls and results are plain text.
     */
    public static List<ChatMessage> withToolsInText(List<ChatMessage> messages, List<Tool> tools) {
        StringBuilder system = new StringBuilder("You may call functions. The available functions, as JSON signatures"
                + " within <tools></tools>:\n<tools>\n");
        for (Tool t : tools) {
            system.append(Json.write(t.templateValue())).append('\n');
        }
        system.append("</tools>\nFor each call, answer with a JSON object of the function name and arguments within"
                + " <tool_call></tool_call> tags:\n<tool_call>\n{\"name\": NAME, \"arguments\": ARGUMENTS}\n</tool_call>");
        List<ChatMessage> out = new ArrayList<>();
        int from = 0;
        if (!messages.isEmpty() && messages.get(0).role().equals("system")) {
            system.insert(0, messages.get(0).content() + "\n\n");
            from = 1;
        }
        out.add(ChatMessage.system(system.toString()));
        for (ChatMessage m : messages.subList(from, messages.size())) {
            if (m.toolCalls() != null && !m.toolCalls().isEmpty()) {
                StringBuilder text = new StringBuilder(m.content() == null ? "" : m.content());
                for (Map<String, Object> call : m.toolCalls()) {
                    Object f = call.get("function");
                    Map<String, Object> body = new LinkedHashMap<>();
                    if (f instanceof Map<?, ?> fm) {
                        body.put("name", fm.get("name"));
                        body.put("arguments", fm.get("arguments"));
                    }
                    text.append(text.isEmpty() ? "" : "\n").append("<tool_call>\n").append(Json.write(body))
                            .append("\n</tool_call>");
                }
                out.add(ChatMessage.assistant(text.toString()));
            } else if (m.role().equals("tool")) {
                out.add(new ChatMessage("tool", "<tool_response>\n" + m.content() + "\n</tool_response>", null,
                        m.toolCallId(), m.name()));
            } else {
                out.add(m);
            }
        }
        return out;
    }

    /** A grammar forcing one call ({@code parallel}: one to {@value #MAX_PARALLEL_CALLS}) of one of {@code tools}. */
    public Grammar grammar(List<Tool> tools, boolean parallel) {
        if (tools.isEmpty()) {
            throw new IllegalArgumentException("no tools to call");
        }
        List<Object> calls = new ArrayList<>();
        for (Tool t : tools) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("name", Map.of("const", t.name()));
            props.put(argumentsKey, t.parameters());
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("type", "object");
            call.put("properties", props);
            call.put("required", List.of("name", argumentsKey));
            call.put("additionalProperties", false);
            calls.add(call);
        }
        Grammar call = Grammar.jsonSchema(calls.size() == 1 ? calls.get(0) : Map.of("anyOf", calls));
        int max = parallel ? MAX_PARALLEL_CALLS : 1;
        return switch (this) {
            case HERMES -> Grammar.repeat(Grammar.sequence(Grammar.literal("<tool_call>\n"), call,
                    Grammar.literal("\n</tool_call>")), "\n", 1, max);
            case LLAMA3 -> call;
            case MISTRAL -> Grammar.sequence(Grammar.literal("["), Grammar.repeat(call, ", ", 1, max), Grammar.literal("]"));
        };
    }

    /** The calls in {@code text} (none when it is a plain answer) and the text outside them. */
    public Parsed parse(String text) {
        List<ToolCall> calls = new ArrayList<>();
        switch (this) {
            case HERMES -> {
                StringBuilder content = new StringBuilder();
                int at = 0;
                while (true) {
                    int open = text.indexOf("<tool_call>", at);
                    if (open < 0) {
                        content.append(text.substring(at));
                        break;
                    }
                    int close = text.indexOf("</tool_call>", open);
                    String body = text.substring(open + "<tool_call>".length(), close < 0 ? text.length() : close);
                    ToolCall c = call(body);
                    if (c == null) {
                        content.append(text.substring(at));
                        break;
                    }
                    content.append(text, at, open);
                    calls.add(c);
                    at = close < 0 ? text.length() : close + "</tool_call>".length();
                }
                return new Parsed(calls.isEmpty() ? text : content.toString().strip(), calls);
            }
            case LLAMA3 -> {
                String body = text.strip();
                if (body.startsWith("<|python_tag|>")) {
                    body = body.substring("<|python_tag|>".length());
                }
                for (String part : body.split(";\\s*(?=\\{)")) {
                    ToolCall c = call(part);
                    if (c == null) {
                        return new Parsed(text, List.of());
                    }
                    calls.add(c);
                }
                return new Parsed("", calls);
            }
            case MISTRAL -> {
                String body = text.strip();
                int open = body.indexOf("[TOOL_CALLS]");
                String before = "";
                if (open >= 0) {
                    before = body.substring(0, open).strip();
                    body = body.substring(open + "[TOOL_CALLS]".length()).strip();
                } else if (!body.startsWith("[{")) {
                    return new Parsed(text, List.of());
                }
                try {
                    if (Json.parse(body) instanceof List<?> list) {
                        for (Object o : list) {
                            ToolCall c = call(o);
                            if (c == null) {
                                return new Parsed(text, List.of());
                            }
                            calls.add(c);
                        }
                        return new Parsed(before, calls);
                    }
                } catch (RuntimeException e) {
                    // not a call list: plain text
                }
                return new Parsed(text, List.of());
            }
            default -> throw new IllegalStateException();
        }
    }

    private ToolCall call(String json) {
        try {
            return call(Json.parse(json.strip()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private ToolCall call(Object value) {
        if (!(value instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)) {
            return null;
        }
        Object args = m.containsKey(argumentsKey) ? m.get(argumentsKey) : m.get("arguments");
        if (args == null) {
            args = Map.of();
        }
        String arguments = args instanceof String s ? s : Json.write(args);
        String id = m.get("id") instanceof String s && !s.isEmpty() ? s : newId();
        return new ToolCall(id, name, arguments);
    }

    /** A fresh call id: nine letters and digits for Mistral (its template checks), {@code call_...} otherwise. */
    public String newId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder id = new StringBuilder(this == MISTRAL ? "" : "call_");
        int n = this == MISTRAL ? 9 : 24;
        for (int i = 0; i < n; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    /** Where a call would start in the output: text before it streams as content, text from it is held back. */
    public List<String> markers() {
        return switch (this) {
            case HERMES -> List.of("<tool_call>");
            case LLAMA3 -> List.of("{", "<|python_tag|>");
            case MISTRAL -> List.of("[TOOL_CALLS]", "[{");
        };
    }

    /** Parsed model output: the answer's text and the tool calls in it. */
    public record Parsed(String content, List<ToolCall> calls) {
        public Parsed {
            calls = List.copyOf(calls);
        }
    }
}
