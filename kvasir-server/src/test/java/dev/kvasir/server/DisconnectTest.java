package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvasir.SharedData;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A client that hangs up cancels its generation, streaming or not; the computed positions stay cached. */
class DisconnectTest {

    @Test
    void hangingUpCancelsTheGenerationAndKeepsTheCache() throws Exception {
        try (KvasirServer server = KvasirServer.start(ServerConfig.of(SharedData.model("stories260K.gguf")).withPort(0))) {
            Http http = new Http(server.port(), null);
            String body = "{\"prompt\":\"Once upon a time\",\"max_tokens\":1900,\"stream\":true,\"temperature\":0}";
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                postCompletion(socket, body);
                InputStream in = socket.getInputStream();
                byte[] first = new byte[2048];
                int n = in.read(first);
                assertThat(new String(first, 0, n, StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200");
            }
            JsonNode health = waitUntilIdle(http);
            assertThat(health.get("cache_entries").asInt()).isEqualTo(1);
            long generated = PrefixReuseTest.metric(http.get("/metrics").body(), "kvasir_generated_tokens_total");
            assertThat(generated).as("generation stopped early").isPositive().isLessThan(1900);
            JsonNode again = Http.json(http.post("/v1/completions",
                    "{\"prompt\":\"Once upon a time\",\"max_tokens\":1,\"temperature\":0}"));
            assertThat(Chats.cachedTokens(again)).as("the prompt computed before the hang-up is reused")
                    .isEqualTo(Chats.promptTokens(again) - 1);
        }
    }

    /**
     * A non-streaming client sends nothing while it waits, so its hang-up only shows when the server
     * writes: the whitespace the server writes before the JSON while it generates finds it gone.
     */
    @Test
    void hangingUpOnANonStreamingRequestCancelsItToo() throws Exception {
        try (KvasirServer server = KvasirServer.start(ServerConfig.of(SharedData.model("stories260K.gguf")).withPort(0))) {
            Http http = new Http(server.port(), null);
            String body = "{\"prompt\":\"Once upon a time\",\"max_tokens\":2040,\"temperature\":0}";
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                postCompletion(socket, body);
                waitUntilGenerating(http);
            }
            JsonNode health = waitUntilIdle(http);
            assertThat(health.get("cache_entries").asInt()).isEqualTo(1);
            long generated = PrefixReuseTest.metric(http.get("/metrics").body(), "kvasir_generated_tokens_total");
            assertThat(generated).as("generation stopped early").isPositive().isLessThan(2040 - 4);
        }
    }

    /** A client that waits gets the spaces and then the answer: still one valid JSON document. */
    @Test
    void aLongNonStreamingAnswerIsValidJsonAfterTheSpaces() {
        try (KvasirServer server = KvasirServer.start(ServerConfig.of(SharedData.model("stories260K.gguf")).withPort(0))) {
            var r = new Http(server.port(), null).post("/v1/completions",
                    "{\"prompt\":\"Once upon a time\",\"max_tokens\":2000,\"temperature\":0}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(r.body()).as("generating 2000 tokens takes longer than one interval (0.5 s)").startsWith(" ");
            JsonNode json = Http.json(r);
            assertThat(Chats.completionTokens(json)).isEqualTo(2000);
            assertThat(json.at("/choices/0/text").asText()).isNotBlank();
        }
    }

    /** Waits until a request runs (a running request is generating: prefill of a short prompt is instant). */
    private static void waitUntilGenerating(Http http) throws InterruptedException {
        for (int i = 0; i < 300 && Http.json(http.get("/health")).get("requests_running").asInt() == 0; i++) {
            Thread.sleep(10);
        }
    }

    static JsonNode waitUntilIdle(Http http) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            JsonNode h = Http.json(http.get("/health"));
            if (h.get("requests_running").asInt() == 0) {
                return h;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the generation was not cancelled within 30 s of the client hanging up");
    }

    /** Sends a raw POST /v1/completions on {@code socket}, which the test then closes to hang up. */
    private static void postCompletion(Socket socket, String body) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
