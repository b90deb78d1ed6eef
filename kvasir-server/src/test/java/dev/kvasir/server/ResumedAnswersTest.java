package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kvasir.SharedData;
import dev.kvasir.generate.GenerationResult;
import dev.kvasir.sample.SamplerSettings;
import dev.kvasir.template.ChatMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Greedy answers resumed from the prompt cache (RAM tier, disk tier, after a restart, a trimmed
 * longer entry) equal a fresh {@code kvasir generate} of the same prompt tokens, token for token.
 * This holds because matvec and matmul round identically per token (batch invariance): the cached
 * KV of a prompt does not depend on how it was chunked or whether it was decoded token by token.
 * The Q4_0 model runs the quantized kernels.
 */
class ResumedAnswersTest {
    private static final String[] TURNS = {"Tell me a story about a frog.", "What did the frog eat?", "Was he happy?",
            "And then?"};
    private static final int MAX_TOKENS = 24;

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "tinyllama-v0-q4_0.gguf"})
    void ramTierTurnsAndATurnAfterARestartEqualFreshRuns(String modelName, @TempDir Path dir) {
        Path model = SharedData.model(modelName);
        try (FreshGeneration fresh = new FreshGeneration(model)) {
            Conversation chat = new Conversation(fresh);
            try (KvasirServer server = KvasirServer.start(config(model, dir, 64L << 20))) {
                Http http = new Http(server.port(), null);
                for (int i = 0; i < 3; i++) {
                    chat.turn(http, TURNS[i]);
                }
            }
            try (KvasirServer restarted = KvasirServer.start(config(model, dir, 64L << 20))) {
                Http http = new Http(restarted.port(), null);
                chat.turn(http, TURNS[3]);
                assertThat(PrefixReuseTest.metric(http.get("/metrics").body(), "kvasir_cache_promotions_total"))
                        .as("turn 4 resumed from the file the first server wrote on shutdown").isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "tinyllama-v0-q4_0.gguf"})
    void turnsResumedFromTheDiskTierEqualFreshRuns(String modelName, @TempDir Path dir) {
        Path model = SharedData.model(modelName);
        try (FreshGeneration fresh = new FreshGeneration(model);
             KvasirServer server = KvasirServer.start(config(model, dir, 1))) {
            Http http = new Http(server.port(), null);
            Conversation chat = new Conversation(fresh);
            for (int i = 0; i < 3; i++) {
                chat.turn(http, TURNS[i]);
                assertThat(PrefixReuseTest.metric(http.get("/metrics").body(), "kvasir_cache_promotions_total"))
                        .as("a 1-byte RAM tier: turn %d resumed from a .kvc file", i + 1).isEqualTo(i);
            }
        }
    }

    /**
     * A seeded sampled answer with penalties is reproduced too: the penalties count the cached part of
     * the prompt (the last 64 tokens reach back past each turn's new messages), and the draws are the same.
     * Sampling is the most sensitive check here: a last-bit difference in a logit moves the draw, where
     * an argmax rarely flips (this test caught a prefill/decode split that was not yet batch-invariant).
     */
    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "tinyllama-v0-q4_0.gguf"})
    void seededSampledTurnsWithPenaltiesEqualFreshRuns(String modelName) {
        Path model = SharedData.model(modelName);
        ObjectNode fields = Fields.MAPPER.createObjectNode().put("temperature", 0.7).put("seed", 7)
                .put("repeat_penalty", 1.3).put("presence_penalty", 0.5);
        SamplerSettings settings = SamplerSettings.defaults().withTemperature(0.7f).withRepeatPenalty(1.3f, 64)
                .withFrequencyAndPresencePenalty(0, 0.5f).withSeed(7);
        try (FreshGeneration fresh = new FreshGeneration(model);
             KvasirServer server = KvasirServer.start(ServerConfig.of(model).withPort(0))) {
            Http http = new Http(server.port(), null);
            Conversation chat = new Conversation(fresh, fields, settings);
            for (int i = 0; i < 2; i++) {
                chat.turn(http, TURNS[i]);
            }
        }
    }

    /**
     * A prompt that leaves a cached sequence mid-way resumes from the trimmed entry: exactly the shared
     * tokens are reused, only the rest is evaluated, and the answer is the fresh one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "tinyllama-v0-q4_0.gguf"})
    void aCompletionThatLeavesACachedPromptMidWayEqualsAFreshRun(String modelName) {
        Path model = SharedData.model(modelName);
        String first = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park"
                + " with her dog and her ball.";
        String second = "Once upon a time, there was a little girl named Lily. One day she found a shiny stone.";
        try (FreshGeneration fresh = new FreshGeneration(model);
             KvasirServer server = KvasirServer.start(ServerConfig.of(model).withPort(0))) {
            Http http = new Http(server.port(), null);
            JsonNode r1 = completion(http, first, fresh);
            assertThat(Chats.cachedTokens(r1)).isZero();
            int shared = commonPrefix(fresh.promptTokens(first), fresh.promptTokens(second));
            assertThat(shared).as("the test's prompts share a prefix and then differ").isBetween(5,
                    fresh.promptTokens(second).length - 3);
            JsonNode r2 = completion(http, second, fresh);
            assertThat(Chats.cachedTokens(r2)).as("reused exactly the shared prefix of the cached entry").isEqualTo(shared);
        }
    }

    private static JsonNode completion(Http http, String prompt, FreshGeneration fresh) {
        ObjectNode body = Fields.MAPPER.createObjectNode();
        body.put("prompt", prompt);
        body.put("max_tokens", MAX_TOKENS);
        body.put("temperature", 0);
        JsonNode r = ok(http.post("/v1/completions", HttpIo.text(body)));
        assertEqualsFresh(r, r.at("/choices/0/text").asText(), fresh.greedy(fresh.promptTokens(prompt), MAX_TOKENS),
                "completion of " + prompt);
        return r;
    }

    private static void assertEqualsFresh(JsonNode r, String text, GenerationResult expected, String what) {
        assertThat(text).as("%s (usage %s)", what, r.get("usage")).isEqualTo(expected.text());
        assertThat(Chats.completionTokens(r)).as(what).isEqualTo(expected.generatedTokens().length);
        assertThat(Chats.promptTokens(r)).as(what).isEqualTo(expected.inputTokens().length);
    }

    private static ServerConfig config(Path model, Path dir, long ram) {
        return ServerConfig.of(model).withPort(0).withCache(dir, ram, 64L << 20);
    }

    private static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r);
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = 0;
        while (n < a.length && n < b.length && a[n] == b[n]) {
            n++;
        }
        return n;
    }

    /** Full histories sent turn by turn; each answer checked against a fresh run of the same rendered prompt. */
    private static final class Conversation {
        private final FreshGeneration fresh;
        private final ObjectNode sampling;
        private final SamplerSettings settings;
        private final List<ChatMessage> messages = new ArrayList<>();
        private JsonNode previous;

        Conversation(FreshGeneration fresh) {
            this(fresh, Fields.MAPPER.createObjectNode().put("temperature", 0), SamplerSettings.defaults().withTemperature(0));
        }

        /** {@code sampling}: the request's sampling fields; {@code settings}: the same for the fresh run. */
        Conversation(FreshGeneration fresh, ObjectNode sampling, SamplerSettings settings) {
            this.fresh = fresh;
            this.sampling = sampling;
            this.settings = settings;
        }

        void turn(Http http, String user) {
            messages.add(ChatMessage.user(user));
            ObjectNode body = sampling.deepCopy();
            ArrayNode wire = body.putArray("messages");
            for (ChatMessage m : messages) {
                wire.addObject().put("role", m.role()).put("content", m.content());
            }
            body.put("max_tokens", MAX_TOKENS);
            JsonNode r = ok(http.post("/v1/chat/completions", HttpIo.text(body)));
            String answer = r.at("/choices/0/message/content").asText();
            assertEqualsFresh(r, answer, fresh.generate(fresh.chatTokens(messages), MAX_TOKENS, settings),
                    "turn " + (messages.size() + 1) / 2);
            if (previous != null) {
                // only the new messages were evaluated: the cache covered the previous prompt and answer
                PrefixReuseTest.assertReused(previous, r);
            }
            messages.add(ChatMessage.assistant(answer));
            previous = r;
        }
    }
}
