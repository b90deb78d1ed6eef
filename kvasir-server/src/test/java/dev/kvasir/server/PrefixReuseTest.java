package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvasir.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversations resume from the longest cached prefix, in RAM, on disk, and after a restart. */
class PrefixReuseTest {
    static final String[] TURNS = {"Tell me a story about a frog.", "What did the frog eat?", "Was he happy?",
            "And then?"};

    static ServerConfig config(Path dir, long ram, long disk) {
        return ServerConfig.of(SharedData.model("stories260K.gguf")).withPort(0).withCache(dir, ram, disk);
    }

    /**
     * Each turn's cached tokens cover the previous prompt and its answer: only the new messages are
     * evaluated. The answer's last token was never fed back, and its re-tokenized text may split one
     * token differently at the boundary: at most 2 tokens of slack.
     */
    static void assertReused(JsonNode previous, JsonNode now) {
        int covered = Chats.promptTokens(previous) + Chats.completionTokens(previous);
        assertThat(Chats.cachedTokens(now)).as("cached tokens of %s after %s", now.get("usage"), previous.get("usage"))
                .isBetween(covered - 2, Chats.promptTokens(now) - 1);
    }

    @Test
    void threeTurnsReuseThePreviousTurnsAndARestartKeepsThem(@TempDir Path dir) {
        Chats chat = new Chats();
        JsonNode[] r = new JsonNode[4];
        try (KvasirServer server = KvasirServer.start(config(dir, 64L << 20, 64L << 20))) {
            Http http = new Http(server.port(), null);
            for (int i = 0; i < 3; i++) {
                r[i] = chat.turn(http, TURNS[i], 12);
            }
        }
        assertThat(Chats.cachedTokens(r[0])).isZero();
        assertReused(r[0], r[1]);
        assertReused(r[1], r[2]);
        assertThat(kvcFiles(dir)).as("closing the server writes its RAM entries to --cache-dir").isNotEmpty();
        try (KvasirServer restarted = KvasirServer.start(config(dir, 64L << 20, 64L << 20))) {
            r[3] = chat.turn(new Http(restarted.port(), null), TURNS[3], 12);
        }
        assertReused(r[2], r[3]);
    }

    @Test
    void smallRamMovesEntriesToDiskAndBack(@TempDir Path dir) {
        try (KvasirServer server = KvasirServer.start(config(dir, 1, 64L << 20))) {
            Http http = new Http(server.port(), null);
            Chats chat = new Chats();
            JsonNode first = chat.turn(http, TURNS[0], 12);
            assertThat(kvcFiles(dir)).as("a 1-byte RAM tier evicts every entry to disk").hasSize(1);
            JsonNode second = chat.turn(http, TURNS[1], 12);
            assertReused(first, second);
            String metrics = http.get("/metrics").body();
            assertThat(metric(metrics, "kvasir_cache_promotions_total")).isEqualTo(1);
            assertThat(metric(metrics, "kvasir_cache_evictions_total{tier=\"ram\"}")).isGreaterThanOrEqualTo(2);
            assertThat(metric(metrics, "kvasir_cache_bytes{tier=\"ram\"}")).isZero();
            assertThat(metric(metrics, "kvasir_cache_bytes{tier=\"disk\"}")).isEqualTo(diskUsage(dir));
        }
    }

    @Test
    void theDiskBudgetIsNeverExceeded(@TempDir Path dir) {
        long budget = 60_000;
        try (KvasirServer server = KvasirServer.start(config(dir, 1, budget))) {
            Http http = new Http(server.port(), null);
            for (int i = 0; i < 8; i++) {
                String body = "{\"prompt\":\"Story " + i + ": once upon a time there was a " + "big ".repeat(i)
                        + "bear\",\"max_tokens\":8,\"temperature\":0}";
                assertThat(http.post("/v1/completions", body).statusCode()).isEqualTo(200);
                assertThat(diskUsage(dir)).as("after request %d", i).isLessThanOrEqualTo(budget);
            }
            String metrics = http.get("/metrics").body();
            assertThat(metric(metrics, "kvasir_cache_evictions_total{tier=\"disk\"}")).isPositive();
            assertThat(kvcFiles(dir)).hasSizeBetween(1, 7);
        }
    }

    static long metric(String page, String name) {
        return page.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> (long) Double.parseDouble(l.substring(name.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no metric " + name + " in\n" + page));
    }

    static java.util.List<Path> kvcFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir.resolve("prefix"))) {
            return files.filter(f -> f.toString().endsWith(".kvc")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long diskUsage(Path dir) {
        return kvcFiles(dir).stream().mapToLong(f -> {
            try {
                return Files.size(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).sum();
    }
}
