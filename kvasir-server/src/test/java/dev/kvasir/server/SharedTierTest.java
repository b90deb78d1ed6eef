package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kvasir.SharedData;
import dev.kvasir.redis.LocalRedis;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Servers sharing one real redis-server (a child process per test): conversations continue on
 * another server from the chunks the first one wrote, a Redis outage never fails a request, damaged
 * chunks are recomputed, and another model never reads them. Chunks of 16 tokens keep the prompts short.
 */
class SharedTierTest {
    private static final int CHUNK = 16;
    private static final String STORY = "Once upon a time, there was a little girl named Lily. She loved to play outside "
            + "with her dog, a big brown dog named Max. One day";

    static KvasirServer start(String model, LocalRedis redis, long ram) {
        ServerConfig config = ServerConfig.of(SharedData.model(model)).withPort(0).withCache(null, ram, 0).withParallel(4, 32);
        return KvasirServer.start(config, new SharedCacheConfig(redis.uri(), CHUNK, Duration.ofMillis(500)));
    }

    @Test
    void aConversationAlternatingBetweenTwoServersReusesEveryPreviousTurn() {
        String[] users = {"Tell me a story about a cat.", "What did the cat eat?", "And then?"};
        try (LocalRedis redis = LocalRedis.start();
             KvasirServer a = start("stories260K.gguf", redis, 512L << 20);
             KvasirServer b = start("stories260K.gguf", redis, 512L << 20);
             KvasirServer alone = KvasirServer.start(ServerConfig.of(SharedData.model("stories260K.gguf")).withPort(0))) {
            Chats shared = new Chats();
            Chats reference = new Chats();
            Http ref = new Http(alone.port(), null);
            int previousPrompt = 0;
            int cachedOnB = 0;
            for (int turn = 0; turn < users.length; turn++) {
                KvasirServer server = turn % 2 == 0 ? a : b;
                Http http = new Http(server.port(), null);
                JsonNode r = shared.turn(http, users[turn], 12);
                JsonNode expected = reference.turn(ref, users[turn], 12);
                assertThat(r.at("/choices/0/message/content").asText()).as("turn " + turn)
                        .isEqualTo(expected.at("/choices/0/message/content").asText());
                assertThat(Chats.cachedTokens(r)).as("turn %d: %s", turn, r.get("usage")).isGreaterThanOrEqualTo(previousPrompt);
                System.out.printf("turn %d on server %s: prompt %d, cached %d%n", turn, turn % 2 == 0 ? "A" : "B",
                        Chats.promptTokens(r), Chats.cachedTokens(r));
                previousPrompt = Chats.promptTokens(r);
                cachedOnB = turn == 1 ? Chats.cachedTokens(r) : cachedOnB;
                awaitWrites(http);
            }
            String metrics = new Http(b.port(), null).get("/metrics").body();
            assertThat(tier(metrics, "kvasir_cache_lookups_total", "redis")).as("server B's turn came from Redis").isEqualTo(1);
            assertThat(tier(metrics, "kvasir_cache_hit_tokens_total", "redis")).isEqualTo(cachedOnB);
        }
    }

    @Test
    void killingRedisUnderEightClientsFailsNoRequestAndARestartRestoresHits() throws Exception {
        try (LocalRedis redis = LocalRedis.start(); KvasirServer a = start("stories260K.gguf", redis, 1)) {
            Http http = new Http(a.port(), null); // RAM of 1 byte: every reuse comes from Redis
            String warm = completion(http, STORY, 4).at("/choices/0/text").asText();
            awaitWrites(http);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            AtomicInteger done = new AtomicInteger();
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 4; i++) {
                        HttpResponse<String> r = http.post("/v1/completions", body(STORY + " client " + client + " turn " + i, 6));
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        ok++;
                        done.incrementAndGet();
                    }
                    return ok;
                }));
            }
            while (done.get() < 6) {
                Thread.sleep(10);
            }
            redis.kill();
            for (Future<Integer> f : results) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(4);
            }
            pool.shutdown();
            String down = http.get("/metrics").body();
            assertThat(PrefixReuseTest.metric(down, "kvasir_shared_errors_total")).isPositive();
            assertThat(PrefixReuseTest.metric(down, "kvasir_shared_available")).isZero();

            redis.restart(); // empty
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            JsonNode r;
            do {
                Thread.sleep(200);
                r = completion(http, STORY, 4); // a miss writes the chunks again, the next request hits them
                awaitWrites(http);
            } while (Chats.cachedTokens(r) == 0 && System.nanoTime() < deadline);
            assertThat(Chats.cachedTokens(r)).as("hits after Redis came back").isGreaterThanOrEqualTo(CHUNK);
            assertThat(r.at("/choices/0/text").asText()).isEqualTo(warm);
            assertThat(PrefixReuseTest.metric(http.get("/metrics").body(), "kvasir_shared_available")).isEqualTo(1);
        }
    }

    @Test
    void flippedBytesInStoredChunksAreDetectedAndRecomputed() {
        try (LocalRedis redis = LocalRedis.start(); KvasirServer a = start("stories260K.gguf", redis, 1);
             RedisClient jedis = RedisClient.create("127.0.0.1", redis.port())) {
            Http http = new Http(a.port(), null);
            String first = completion(http, STORY, 8).at("/choices/0/text").asText();
            awaitWrites(http);
            int damaged = 0;
            for (String key : jedis.keys("kvasir:*")) {
                if (!key.endsWith(":next") && !key.contains(":session:")) {
                    byte[] k = key.getBytes(StandardCharsets.UTF_8);
                    byte[] v = jedis.get(k);
                    v[v.length / 2] ^= 0x10; // in the K/V rows: only the checksum can tell
                    jedis.set(k, v);
                    damaged++;
                }
            }
            assertThat(damaged).isGreaterThanOrEqualTo(2);
            JsonNode again = completion(http, STORY, 8);
            assertThat(again.at("/choices/0/text").asText()).isEqualTo(first);
            assertThat(Chats.cachedTokens(again)).as("nothing taken from damaged chunks").isZero();
            assertThat(PrefixReuseTest.metric(http.get("/metrics").body(), "kvasir_shared_corrupt_total")).isPositive();
            awaitWrites(http); // the recomputed chunks were written again
            JsonNode healed = completion(http, STORY, 8);
            assertThat(healed.at("/choices/0/text").asText()).isEqualTo(first);
            assertThat(Chats.cachedTokens(healed)).isEqualTo(Chats.promptTokens(healed) - 1);
        }
    }

    @Test
    void anotherModelOnTheSameRedisGetsNoHitsAndNoErrors() {
        try (LocalRedis redis = LocalRedis.start();
             KvasirServer stories = start("stories260K.gguf", redis, 1);
             KvasirServer other = start("tinyllama-v0-q4_0.gguf", redis, 1)) {
            Http s = new Http(stories.port(), null);
            Http o = new Http(other.port(), null);
            completion(s, STORY, 4);
            awaitWrites(s);
            assertThat(Chats.cachedTokens(completion(o, STORY, 4))).isZero();
            awaitWrites(o);
            // its own chunks it does find (its namespace); the other model's chunks stay unread
            assertThat(Chats.cachedTokens(completion(o, STORY, 4))).isPositive();
            String page = o.get("/metrics").body();
            assertThat(PrefixReuseTest.metric(page, "kvasir_shared_errors_total")).isZero();
            assertThat(PrefixReuseTest.metric(page, "kvasir_shared_corrupt_total")).isZero();
            assertThat(Chats.cachedTokens(completion(s, STORY, 4))).as("the first model's chunks are intact").isPositive();
        }
    }

    @Test
    void aSessionSavedOnOneServerIsRestoredOnAnother() {
        try (LocalRedis redis = LocalRedis.start();
             KvasirServer a = start("stories260K.gguf", redis, 512L << 20);
             KvasirServer b = start("stories260K.gguf", redis, 512L << 20)) {
            Http ha = new Http(a.port(), null);
            Http hb = new Http(b.port(), null);
            Chats chat = new Chats();
            chat.turn(ha, "Tell me about the moon.", 10);
            ObjectNode body = Fields.MAPPER.createObjectNode();
            body.set("messages", chat.messages);
            HttpResponse<String> saved = ha.post("/v1/sessions/moon", HttpIo.text(body));
            assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
            assertThat(Http.json(saved).get("shared").asBoolean()).isTrue();
            int tokens = Http.json(saved).get("tokens").asInt();
            assertThat(Http.json(hb.get("/v1/sessions/moon")).get("tokens").asInt()).isEqualTo(tokens);
            HttpResponse<String> restored = hb.post("/v1/sessions/moon/restore", "");
            assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
            assertThat(Http.json(restored).get("cached_tokens").asInt()).as("all but the last token from A's chunks").isEqualTo(tokens - 1);
            JsonNode next = chat.turn(hb, "Why?", 6);
            assertThat(Chats.cachedTokens(next)).isGreaterThanOrEqualTo(tokens - 1);
            assertThat(hb.delete("/v1/sessions/moon").statusCode()).isEqualTo(200);
            assertThat(ha.get("/v1/sessions/moon").statusCode()).isEqualTo(404);
        }
    }

    private static JsonNode completion(Http http, String prompt, int maxTokens) {
        HttpResponse<String> r = http.post("/v1/completions", body(prompt, maxTokens));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r);
    }

    private static String body(String prompt, int maxTokens) {
        ObjectNode b = Fields.MAPPER.createObjectNode();
        b.put("prompt", prompt);
        b.put("max_tokens", maxTokens);
        b.put("temperature", 0);
        return HttpIo.text(b);
    }

    /** Waits until the server's write-behind queue is empty (its chunks are in Redis). */
    static void awaitWrites(Http http) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (PrefixReuseTest.metric(http.get("/metrics").body(), "kvasir_shared_writes_pending") > 0) {
            assertThat(System.nanoTime()).as("write-behind queue drained").isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The value of {@code name{...tier="TIER"...}}, 0 when absent. */
    static double tier(String page, String name, String tier) {
        return page.lines().filter(l -> l.startsWith(name + "{") && l.contains("tier=\"" + tier + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
