package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;

/** A chat history sent as full histories, turn by turn, as OpenAI clients do. */
final class Chats {
    final ArrayNode messages = Fields.MAPPER.createArrayNode();

    /** Adds the user turn, asks for a greedy answer, adds the answer; returns the response. */
    JsonNode turn(Http http, String user, int maxTokens) {
        messages.addObject().put("role", "user").put("content", user);
        ObjectNode body = Fields.MAPPER.createObjectNode();
        body.set("messages", messages);
        body.put("max_tokens", maxTokens);
        body.put("temperature", 0);
        HttpResponse<String> r = http.post("/v1/chat/completions", HttpIo.text(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = Http.json(r);
        messages.addObject().put("role", "assistant").put("content", json.at("/choices/0/message/content").asText());
        return json;
    }

    static int promptTokens(JsonNode r) {
        return r.at("/usage/prompt_tokens").asInt();
    }

    static int cachedTokens(JsonNode r) {
        return r.at("/usage/prompt_tokens_details/cached_tokens").asInt();
    }

    static int completionTokens(JsonNode r) {
        return r.at("/usage/completion_tokens").asInt();
    }
}
