package dev.kvasir.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.SharedData;
import dev.kvasir.generate.StopReason;
import dev.kvasir.json.Json;
import dev.kvasir.template.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade on the real stories260K model: llama-server's greedy tokens, prefix reuse in RAM and on disk, threads. */
class KvasirModelTest {
    private static final Params SHORT = Params.greedy().withMaxTokens(24);

    @TempDir
    Path tmp;

    private static Path model() {
        return SharedData.model("stories260K.gguf");
    }

    @Test
    void greedyGenerateMatchesLlamaServerAndStreamsTheSameText() throws Exception {
        Map<?, ?> ref = (Map<?, ?>) Json.parse(Files.readString(SharedData.file("reference/p1_once.llama-server.json")));
        int[] expected = ((List<?>) ref.get("generated_token_ids")).stream().mapToInt(n -> ((Number) n).intValue()).toArray();
        try (KvasirModel m = Kvasir.load(model())) {
            StringBuilder streamed = new StringBuilder();
            Result r = m.generate((String) ref.get("prompt"), Params.greedy().withMaxTokens(64), (id, t) -> streamed.append(t));
            assertThat(r.generatedTokens()).containsExactly(expected);
            assertThat(r.text()).isEqualTo(ref.get("text")).isEqualTo(streamed.toString());
            assertThat(r.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
            assertThat(r.cachedTokens()).isZero();
        }
    }

    @Test
    void theSecondTurnOfAStatelessChatComputesOnlyItsNewTokensAndAnswersAsAnUncachedRun() {
        List<ChatMessage> turn1 = List.of(ChatMessage.system("You are a storyteller."), ChatMessage.user("Tell me about a cat."));
        try (KvasirModel m = Kvasir.load(model()); KvasirModel uncached = Kvasir.load(model(), LoadOptions.defaults().withMaxCachedPrompts(0))) {
            Result a1 = m.chat(turn1, SHORT);
            assertThat(a1.cachedTokens()).isZero();
            List<ChatMessage> turn2 = new ArrayList<>(turn1);
            turn2.add(ChatMessage.assistant(a1.text()));
            turn2.add(ChatMessage.user("What did the cat eat?"));
            Result a2 = m.chat(turn2, SHORT);
            int prompt2 = m.chatTokens(turn2).length;
            assertThat(a2.promptTokens()).isEqualTo(prompt2);
            // everything of turn 1 (prompt and answer) came from the cache, only the second user turn was computed
            int turn1Prefix = commonPrefix(m.chatTokens(turn1), m.chatTokens(turn2));
            assertThat(a2.cachedTokens()).isGreaterThan(turn1Prefix);
            assertThat(a2.computedTokens()).isLessThan(prompt2 - turn1Prefix).isPositive();

            Result fresh = uncached.chat(turn2, SHORT);
            assertThat(fresh.cachedTokens()).isZero();
            assertThat(a2.text()).isEqualTo(fresh.text());
            assertThat(a2.generatedTokens()).containsExactly(fresh.generatedTokens());
        }
    }

    @Test
    void aCacheDirKeepsTheConversationAcrossARestart() {
        Path dir = tmp.resolve("caches");
        LoadOptions options = LoadOptions.defaults().withCacheDir(dir);
        List<ChatMessage> turn1 = List.of(ChatMessage.user("Tell me about a dog."));
        Result a1;
        try (KvasirModel m = Kvasir.load(model(), options)) {
            a1 = m.chat(turn1, SHORT);
        }
        List<ChatMessage> turn2 = List.of(turn1.get(0), ChatMessage.assistant(a1.text()), ChatMessage.user("And then?"));
        try (KvasirModel m = Kvasir.load(model(), options);
             KvasirModel uncached = Kvasir.load(model(), LoadOptions.defaults().withMaxCachedPrompts(0))) {
            Result a2 = m.chat(turn2, SHORT);
            assertThat(a2.cachedTokens()).isGreaterThanOrEqualTo(a1.promptTokens());
            assertThat(a2.text()).isEqualTo(uncached.chat(turn2, SHORT).text());
        }
        try (KvasirModel m = Kvasir.load(model(), options.withMaxCachedPrompts(1))) {
            assertThat(dir.toFile().list()).hasSize(1); // the turn-2 entry covers turn 1's, which was dropped
            Session mine = m.newSession(null);
            mine.send("Hello.", SHORT);
            mine.save(dir.resolve("mine.kvc"));
        }
        try (KvasirModel m = Kvasir.load(model(), options.withMaxCachedPrompts(1))) {
            m.chat(List.of(ChatMessage.user("Something else entirely.")), SHORT); // evicts the store's older entry
            assertThat(dir.resolve("mine.kvc")).as("a user's session file in the cache directory is left alone").isRegularFile();
            assertThat(dir.toFile().list()).hasSize(2);
            assertThat(Session.open(m, dir.resolve("mine.kvc")).messages()).hasSize(2);
        }
    }

    @Test
    void aSessionSavedAndOpenedAgainContinuesLikeOneThatNeverStopped() {
        Path file = tmp.resolve("s.kvc");
        List<String> turns = List.of("Tell me about a cat.", "What did the cat eat?", "Where did it sleep?");
        List<String> continuous = new ArrayList<>();
        try (KvasirModel m = Kvasir.load(model())) {
            Session s = m.newSession("You are a storyteller.");
            for (String t : turns) {
                continuous.add(s.send(t, SHORT).text());
            }
        }
        List<String> resumed = new ArrayList<>();
        int cachedBefore;
        try (KvasirModel m = Kvasir.load(model())) {
            Session s = m.newSession("You are a storyteller.");
            resumed.add(s.send(turns.get(0), SHORT).text());
            s.send(turns.get(1), SHORT);
            s.undo(); // the second turn again after an undo: same answer, the cache trimmed back
            resumed.add(s.send(turns.get(1), SHORT).text());
            s.save(file);
            cachedBefore = s.cachedTokens();
        }
        try (KvasirModel m = Kvasir.load(model())) {
            Session s = Session.open(m, file);
            assertThat(s.cachedTokens()).isEqualTo(cachedBefore);
            assertThat(s.messages()).hasSize(5);
            Session copy = s.fork();
            Result third = s.send(turns.get(2), SHORT);
            assertThat(third.cachedTokens()).isGreaterThanOrEqualTo(cachedBefore - 1);
            resumed.add(third.text());
            assertThat(copy.messages()).hasSize(5); // the fork did not see the third turn
            assertThat(copy.send(turns.get(2), SHORT).text()).isEqualTo(third.text());
            copy.trim(2);
            assertThat(copy.messages()).hasSize(5);
        }
        assertThat(resumed).isEqualTo(continuous);
        assertThat(continuous).allSatisfy(t -> assertThat(t).isNotBlank());
    }

    @Test
    void concurrentGenerationsGiveTheSameTextAsOneAtATime() throws Exception {
        List<String> prompts = List.of("Once upon a time", "Lily and Tom", "The little dog", "One day");
        try (KvasirModel m = Kvasir.load(model(), LoadOptions.defaults().withMaxCachedPrompts(0))) {
            List<String> sequential = new ArrayList<>();
            for (String p : prompts) {
                sequential.add(m.generate(p, SHORT).text());
            }
            ExecutorService pool = Executors.newFixedThreadPool(prompts.size());
            try {
                List<Future<String>> futures = new ArrayList<>();
                for (String p : prompts) {
                    futures.add(pool.submit(() -> m.generate(p, SHORT).text()));
                }
                for (int i = 0; i < prompts.size(); i++) {
                    assertThat(futures.get(i).get()).isEqualTo(sequential.get(i));
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void badInputGetsOneClearMessage() {
        try (KvasirModel m = Kvasir.load(model())) {
            assertThatThrownBy(() -> Session.open(m, tmp.resolve("missing.kvc"))).isInstanceOf(KvasirException.class)
                    .hasMessageContaining("missing.kvc");
            assertThatThrownBy(() -> m.generate("x".repeat(5000), SHORT)).isInstanceOf(KvasirException.class)
                    .hasMessageContaining("context holds 2048");
        }
        assertThatThrownBy(() -> Kvasir.load(tmp.resolve("none.gguf"))).isInstanceOf(KvasirException.class)
                .hasMessageContaining("none.gguf");
    }

    private static int commonPrefix(int[] a, int[] b) {
        int i = java.util.Arrays.mismatch(a, b);
        return i < 0 ? a.length : i;
    }
}
