package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvasir.SharedData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Concurrent requests decode together in batched steps, and batching changes nothing: each answer
 * (text, finish reason, token counts) is exactly the one the request gets when it runs alone.
 */
class ConcurrentDecodeTest {
    /** Different prompt lengths and answer lengths, so sequences sit at different positions and leave the batch at different steps. */
    private static final String[] PROMPTS = {"Once upon a time", "Lily and Tom went to the park to play with a big red ball",
        "The cat", "One day, a little bird named Sam flew over the old tree and saw"};
    private static final int[] MAX_TOKENS = {40, 25, 48, 33};

    @Test
    void concurrentGreedyAnswersEqualOneAtATime() throws Exception {
        List<JsonNode> together;
        try (KvasirServer server = KvasirServer.start(config(PROMPTS.length))) {
            Http http = new Http(server.port(), null);
            together = concurrently(http);
            String metrics = http.get("/metrics").body();
            long steps = PrefixReuseTest.metric(metrics, "kvasir_decode_steps_total");
            long decoded = PrefixReuseTest.metric(metrics, "kvasir_decode_sequences_total");
            assertThat(decoded).as("some decode step served several requests").isGreaterThan(steps);
        }
        try (KvasirServer server = KvasirServer.start(config(1))) {
            Http http = new Http(server.port(), null);
            for (int i = 0; i < PROMPTS.length; i++) {
                JsonNode alone = request(http, i);
                assertThat(together.get(i).at("/choices/0/text").asText()).as("answer %d", i)
                        .isEqualTo(alone.at("/choices/0/text").asText());
                assertThat(together.get(i).at("/choices/0/finish_reason")).isEqualTo(alone.at("/choices/0/finish_reason"));
                // cached_tokens differ: one at a time, earlier requests leave their BOS in the prefix cache
                assertThat(Chats.promptTokens(together.get(i))).isEqualTo(Chats.promptTokens(alone));
                assertThat(Chats.completionTokens(together.get(i))).isEqualTo(Chats.completionTokens(alone));
            }
        }
    }

    private static ServerConfig config(int parallel) {
        return ServerConfig.of(SharedData.model("stories260K.gguf")).withPort(0).withParallel(parallel, 0);
    }

    private static List<JsonNode> concurrently(Http http) throws Exception {
        CyclicBarrier start = new CyclicBarrier(PROMPTS.length);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < PROMPTS.length; i++) {
                int request = i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return request(http, request);
                }));
            }
            List<JsonNode> out = new ArrayList<>();
            for (Future<JsonNode> f : answers) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        }
    }

    private static JsonNode request(Http http, int i) {
        var body = Fields.MAPPER.createObjectNode();
        body.put("prompt", PROMPTS[i]);
        body.put("max_tokens", MAX_TOKENS[i]);
        body.put("temperature", 0);
        var r = http.post("/v1/completions", HttpIo.text(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = Http.json(r);
        assertThat(Chats.completionTokens(json)).isPositive();
        return json;
    }
}
