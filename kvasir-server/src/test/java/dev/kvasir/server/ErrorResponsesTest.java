package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvasir.SharedData;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad requests get OpenAI error objects with the right status, and the server keeps serving. */
class ErrorResponsesTest {
    static KvasirServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = KvasirServer.start(ServerConfig.of(SharedData.model("stories260K.gguf")).withPort(0)
                .withApiKey("secret").withMaxBody(64 * 1024));
        http = new Http(server.port(), "secret");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String param, String messagePart) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = Http.json(r).get("error");
        assertThat(error.get("message").asText()).contains(messagePart);
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("type").isTextual()).isTrue();
        if (param == null) {
            assertThat(error.get("param").isNull()).isTrue();
        } else {
            assertThat(error.get("param").asText()).isEqualTo(param);
        }
        assertStillServing();
    }

    private static void assertStillServing() {
        HttpResponse<String> ok = http.post("/v1/completions", "{\"prompt\":\"Once\",\"max_tokens\":2,\"temperature\":0}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    @Test
    void malformedJson() {
        assertError(http.post("/v1/chat/completions", "{\"messages\": [}"), 400, "invalid_value", null, "not valid JSON at line 1");
        assertError(http.post("/v1/chat/completions", ""), 400, "invalid_value", null, "empty request body");
        assertError(http.post("/v1/chat/completions", "[1]"), 400, "invalid_value", null, "must be a JSON object");
        assertError(http.post("/v1/chat/completions", "{\"a\":1,\"a\":2}"), 400, "invalid_value", null, "Duplicate field 'a'");
    }

    @Test
    void missingFields() {
        assertError(http.post("/v1/chat/completions", "{}"), 400, "missing_required_parameter", "messages", "'messages'");
        assertError(http.post("/v1/completions", "{\"max_tokens\":3}"), 400, "missing_required_parameter", "prompt", "'prompt'");
        assertError(http.post("/v1/chat/completions", "{\"messages\":[{\"content\":\"hi\"}]}"), 400,
                "missing_required_parameter", "messages[0].role", "'messages[0].role'");
    }

    @Test
    void wrongTypes() {
        assertError(http.post("/v1/chat/completions", "{\"messages\":\"hi\"}"), 400, "invalid_value", "messages",
                "'messages' must be an array of messages, got a string");
        assertError(http.post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":\"ten\"}"), 400, "invalid_value",
                "max_tokens", "'max_tokens' must be an integer, got a string");
        assertError(http.post("/v1/completions", "{\"prompt\":\"x\",\"temperature\":7}"), 400, "decimal_above_max_value",
                "temperature", "'temperature' must be between 0.0 and 2.0, got 7.0");
        assertError(http.post("/v1/completions", "{\"prompt\":\"x\",\"stream\":1}"), 400, "invalid_value",
                "stream", "'stream' must be true or false");
        assertError(http.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}"), 400,
                "invalid_value", "messages[0].role", "got 'wizard'");
    }

    @Test
    void promptOverTheContext() {
        String longPrompt = "Once upon a time ".repeat(1000); // 17,000 bytes: within the byte bound, over the context in tokens
        assertError(http.post("/v1/completions", "{\"prompt\":\"" + longPrompt + "\"}"), 400, "context_length_exceeded",
                "prompt", "tokens but the model's context holds 2048");
    }

    /** The malformed-JSON message is one line in JSON's terms: no Jackson class, feature, token enum or source dump. */
    @Test
    void malformedJsonIsOneCleanLine() {
        String[] bodies = {"{\"messages\": [}", "{\"a\":1} {}", "{\"a\":", "{\"a\": tru}", "{a:1}", "{\"a\":\"x\u0001\"}",
            "{\"a\": 01}", "{\"a\": NaN}", "{'a':1}", "{\"a\":1,}", "[".repeat(1200), "{\"a\":\"\\q\"}", "\"str",
            "{\"a\":1}]", "{\"prompt\": \"x\"} trailing"};
        for (String body : bodies) {
            HttpResponse<String> r = http.post("/v1/completions", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            String message = Http.json(r).at("/error/message").asText();
            assertThat(message).as(body).startsWith("request body is not valid JSON").doesNotContain("\n")
                    .doesNotContain("`").doesNotContain("Source").doesNotContainIgnoringCase("jackson")
                    .doesNotContain("JsonNode").doesNotContain("Feature").doesNotContain("(code ").doesNotContain("CTRL-CHAR")
                    .doesNotContain("START_").doesNotContain("END_").doesNotContain("VALUE_").doesNotContain("REDACTED");
        }
        assertError(http.post("/v1/completions", "{\"prompt\": \"x\"} {}"), 400, "invalid_value", null,
                "not valid JSON at line 1, column 17: more data follows the JSON object");
        assertError(http.post("/v1/completions", "{\"prompt\": \"x\""), 400, "invalid_value", null,
                "the body ends before the JSON value is complete");
        assertError(http.post("/v1/completions", "{\"messages\": [}"), 400, "invalid_value", null,
                "not valid JSON at line 1, column 15: Unexpected close marker '}': expected ']' (for the Array opened before)");
    }

    /** OpenAI answers an unknown model with 404 model_not_found; so does Kvasir, instead of answering with its own model. */
    @Test
    void unknownModelIsA404() {
        assertError(http.post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                404, "model_not_found", "model", "the model 'gpt-4o' does not exist here; this server serves 'stories260K'");
        assertError(http.post("/v1/completions", "{\"model\":\"other\",\"prompt\":\"Once\"}"), 404, "model_not_found",
                "model", "'other'");
        for (String model : new String[] {"stories260K", "stories260K.gguf"}) {
            HttpResponse<String> r = http.post("/v1/completions", "{\"model\":\"" + model + "\",\"prompt\":\"Once\",\"max_tokens\":1}");
            assertThat(r.statusCode()).as(model + ": " + r.body()).isEqualTo(200);
        }
    }

    /** OpenAI refuses max_tokens 0 (integer_below_min_value) rather than answering nothing; both endpoints do here. */
    @Test
    void zeroMaxTokensIsA400NamingTheField() {
        assertError(http.post("/v1/completions", "{\"prompt\":\"Once\",\"max_tokens\":0}"), 400, "integer_below_min_value",
                "max_tokens", "'max_tokens' must be between 1 and 2147483647, got 0");
        assertError(http.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":0}"),
                400, "integer_below_min_value", "max_tokens", "got 0");
        assertError(http.post("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_completion_tokens\":0}"), 400,
                "integer_below_min_value", "max_completion_tokens", "got 0");
    }

    /** A prompt longer in bytes than a context of the longest tokens can hold is refused before it is tokenized. */
    @Test
    void promptOverTheContextByBytesIsRefusedBeforeTokenizing() {
        String huge = "Once upon a time ".repeat(3500); // 59,500 bytes
        assertError(http.post("/v1/completions", "{\"prompt\":\"" + huge + "\"}"), 400, "context_length_exceeded", "prompt",
                "the prompt is 59500 bytes, more than any prompt that fits: the model's context holds 2048 tokens of at most");
        assertError(http.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"" + huge + "\"}]}"),
                400, "context_length_exceeded", "messages", "the prompt is 59500 bytes");
    }

    @Test
    void hugeBody() {
        String big = "{\"prompt\":\"" + "a".repeat(200_000) + "\"}";
        assertError(http.post("/v1/completions", big), 413, "request_too_large", null, "limit of 65536 bytes");
    }

    @Test
    void badApiKey() {
        Http wrong = new Http(server.port(), "guess");
        assertError(wrong.post("/v1/completions", "{\"prompt\":\"x\"}"), 401, "invalid_api_key", null, "Authorization: Bearer");
        Http none = new Http(server.port(), null);
        assertError(none.get("/v1/models"), 401, "invalid_api_key", null, "API key");
        assertThat(none.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownEndpoint() {
        assertError(http.get("/v1/engines"), 404, "not_found", null, "no endpoint GET /v1/engines");
        assertError(http.send(http.builder("/v1/chat/completions").GET()), 404, "not_found", null, "GET /v1/chat/completions");
    }

    @Test
    void modelsAndHealth() {
        JsonNode models = Http.json(http.get("/v1/models"));
        assertThat(models.at("/data/0/id").asText()).isEqualTo("stories260K");
        assertThat(Http.json(http.get("/health")).get("status").asText()).isEqualTo("ok");
        assertStillServing();
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("kvasir_requests_total{endpoint=\"/v1/completions\",status=\"200\"}")
                .contains("kvasir_time_to_first_token_seconds_bucket").contains("kvasir_cache_bytes{tier=\"ram\"}");
    }

    @Test
    void ignoresUnknownFieldsLikeOpenAi() {
        HttpResponse<String> r = http.send(http.builder("/v1/completions")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"Once\",\"max_tokens\":1,\"user\":\"me\",\"logit_bias\":{}}")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
