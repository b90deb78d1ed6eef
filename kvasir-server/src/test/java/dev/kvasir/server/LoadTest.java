package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A bounded loopback load test: 8 concurrent streaming clients on 4 slots (the rest queue), 2
 * requests each. Every stream must end with [DONE] and carry all its tokens; throughput is printed
 * for BENCHMARKS.md, not asserted.
 */
class LoadTest {
    static final int CLIENTS = 8;
    static final int REQUESTS = 2;
    static final int MAX_TOKENS = 32;

    @Test
    void eightConcurrentStreamingClients() throws Exception {
        ServerConfig config = ServerConfig.of(SharedData.model("stories260K.gguf")).withPort(0).withParallel(4, 8);
        try (KvasirServer server = KvasirServer.start(config);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Http http = new Http(server.port(), null);
            long start = System.nanoTime();
            List<Future<Integer>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    int chunks = 0;
                    for (int i = 0; i < REQUESTS; i++) {
                        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Client " + client + " story " + i
                                + "\"}],\"max_tokens\":" + MAX_TOKENS + ",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                                + "\"temperature\":0.7,\"seed\":" + (client * 10 + i) + "}";
                        HttpResponse<String> r = http.send(http.builder("/v1/chat/completions")
                                .POST(HttpRequest.BodyPublishers.ofString(body)));
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        assertThat(r.body()).endsWith("data: [DONE]\n\n").doesNotContain("\"error\"");
                        assertThat(r.body()).contains("\"completion_tokens\":");
                        chunks += (int) r.body().lines().filter(l -> l.startsWith("data: {")).count();
                    }
                    return chunks;
                }));
            }
            int events = 0;
            for (Future<Integer> f : clients) {
                events += f.get(120, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String metrics = http.get("/metrics").body();
            long generated = PrefixReuseTest.metric(metrics, "kvasir_generated_tokens_total");
            assertThat(generated).isPositive();
            assertThat(events).isGreaterThanOrEqualTo(CLIENTS * REQUESTS * 3);
            System.out.printf("load: %d clients x %d streaming requests, %d tokens in %.2f s = %.1f tokens/s, %.2f requests/s%n",
                    CLIENTS, REQUESTS, generated, seconds, generated / seconds, CLIENTS * REQUESTS / seconds);
        }
    }
}
