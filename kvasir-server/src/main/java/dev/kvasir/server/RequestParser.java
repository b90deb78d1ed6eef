package dev.kvasir.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kvasir.sample.SamplerSettings;
import dev.kvasir.template.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI request JSON to {@link CompletionRequest}. Sampling defaults are llama.cpp's (as llama-server
 * does), overridden field by field; unknown fields are ignored as OpenAI-compatible servers do.
 */
final class RequestParser {
    private static final int MAX_STOPS = 16;

    private RequestParser() {}

    static CompletionRequest chat(Fields f) {
        JsonNode raw = f.raw("messages");
        if (raw == null) {
            throw ApiException.missing("messages");
        }
        if (!raw.isArray()) {
            throw Fields.wrongType("messages", "an array of messages", raw);
        }
        if (raw.isEmpty()) {
            throw ApiException.invalid("messages", "'messages' must hold at least one message");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            messages.add(message(raw.get(i), "messages[" + i + "]"));
        }
        int maxTokens = maxTokens(f, "max_completion_tokens").orElseGet(() -> maxTokens(f, "max_tokens").orElse(-1));
        return common(f, messages, null, maxTokens);
    }

    static CompletionRequest completion(Fields f) {
        JsonNode raw = f.raw("prompt");
        if (raw == null) {
            throw ApiException.missing("prompt");
        }
        String prompt;
        if (raw.isTextual()) {
            prompt = raw.textValue();
        } else if (raw.isArray() && raw.size() == 1 && raw.get(0).isTextual()) {
            prompt = raw.get(0).textValue();
        } else {
            throw Fields.wrongType("prompt", "a string (or an array of one string)", raw);
        }
        return common(f, null, prompt, maxTokens(f, "max_tokens").orElse(16)); // OpenAI's legacy default
    }

    private static CompletionRequest common(Fields f, List<ChatMessage> messages, String prompt, int maxTokens) {
        f.integer("n", 1, 1); // one choice per request
        boolean stream = f.bool("stream").orElse(false);
        boolean includeUsage = f.object("stream_options").flatMap(o -> o.bool("include_usage")).orElse(false);
        return new CompletionRequest(messages, prompt, maxTokens, sampling(f), f.strings("stop", MAX_STOPS), stream,
                includeUsage);
    }

    private static java.util.Optional<Integer> maxTokens(Fields f, String name) {
        return f.integer(name, 1, Integer.MAX_VALUE).map(Long::intValue); // OpenAI refuses 0 too: nothing to generate
    }

    static SamplerSettings sampling(Fields f) {
        SamplerSettings s = SamplerSettings.defaults();
        s = s.withTemperature(f.number("temperature", 0, 2).map(Double::floatValue).orElse(s.temperature()));
        s = s.withTopP(f.number("top_p", 0, 1).map(Double::floatValue).orElse(s.topP()));
        s = s.withTopK(f.integer("top_k", 0, Integer.MAX_VALUE).map(Long::intValue).orElse(s.topK()));
        s = s.withMinP(f.number("min_p", 0, 1).map(Double::floatValue).orElse(s.minP()));
        float repeat = f.number("repeat_penalty", 1e-6, 100).map(Double::floatValue).orElse(s.repeatPenalty());
        s = s.withRepeatPenalty(repeat, s.repeatLastN());
        s = s.withFrequencyAndPresencePenalty(
                f.number("frequency_penalty", -2, 2).map(Double::floatValue).orElse(s.frequencyPenalty()),
                f.number("presence_penalty", -2, 2).map(Double::floatValue).orElse(s.presencePenalty()));
        // a request seed of 0xFFFFFFFF would mean "random" to the sampler: keep it deterministic as asked
        long seed = f.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE).map(x -> x == SamplerSettings.RANDOM_SEED ? x + 1 : x)
                .orElse(SamplerSettings.RANDOM_SEED);
        return s.withSeed(seed);
    }

    private static ChatMessage message(JsonNode node, String where) {
        if (!(node instanceof ObjectNode o)) {
            throw Fields.wrongType(where, "an object with 'role' and 'content'", node);
        }
        Fields m = Fields.of(o);
        String role = m.string("role").orElseThrow(() -> ApiException.missing(where + ".role"));
        if (!List.of("system", "developer", "user", "assistant", "tool").contains(role)) {
            throw ApiException.invalid(where + ".role", "'" + where + ".role' must be system, developer, user, assistant"
                    + " or tool, got '" + role + "'");
        }
        String content = content(m.raw("content"), where + ".content");
        if (content == null && !role.equals("assistant")) {
            throw ApiException.missing(where + ".content");
        }
        return new ChatMessage(role.equals("developer") ? "system" : role, content == null ? "" : content, null, null, null);
    }

    /** A string, or an array of {type: "text", text} parts joined (images are refused: this is a text model). */
    private static String content(JsonNode v, String where) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (!v.isArray()) {
            throw Fields.wrongType(where, "a string or an array of text parts", v);
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : v) {
            if (!(part instanceof ObjectNode p) || !"text".equals(p.path("type").asText()) || !p.path("text").isTextual()) {
                throw ApiException.invalid(where, "'" + where + "' parts must be {\"type\": \"text\", \"text\": STRING}:"
                        + " this model only reads text");
            }
            text.append(p.get("text").textValue());
        }
        return text.toString();
    }
}
