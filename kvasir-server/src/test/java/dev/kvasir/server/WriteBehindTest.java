package dev.kvasir.server;

import static dev.kvasir.server.PrefixReuseTest.config;
import static dev.kvasir.server.PrefixReuseTest.diskUsage;
import static dev.kvasir.server.PrefixReuseTest.kvcFiles;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvasir.cache.PromptCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prefix cache writes new entries behind to --cache-dir while the server runs (not only on
 * eviction or shutdown), keeps the file of an entry in RAM, keeps a replaced entry's file until its
 * replacement is written, respects the disk budget, and never leaves a half-written .kvc.
 * (The SIGKILL test of a real `kvasir serve` process is kvasir-cli's ServeKillTest.)
 */
class WriteBehindTest {
    private static final long BIG = 64L << 20;

    @Test
    void aFinishedRequestReachesTheDiskWithinTwoSecondsWhileItStaysInRam(@TempDir Path dir) throws Exception {
        try (KvasirServer server = KvasirServer.start(config(dir, BIG, BIG))) {
            Http http = new Http(server.port(), null);
            JsonNode first = new Chats().turn(http, PrefixReuseTest.TURNS[0], 8);
            waitFor(() -> kvcFiles(dir).size() == 1, "the entry written behind");
            int[] stored = tokens(kvcFiles(dir).getFirst());
            assertThat(stored).hasSize(Chats.promptTokens(first) + Chats.completionTokens(first) - 1);
            String metrics = http.get("/metrics").body();
            assertThat(PrefixReuseTest.metric(metrics, "kvasir_cache_bytes{tier=\"ram\"}")).as("still in RAM").isPositive();
            assertThat(PrefixReuseTest.metric(metrics, "kvasir_cache_bytes{tier=\"disk\"}")).isEqualTo(diskUsage(dir));
        }
    }

    @Test
    void aReplacedEntryKeepsItsFileUntilTheLongerOneIsWritten(@TempDir Path dir) throws Exception {
        try (KvasirServer server = KvasirServer.start(config(dir, BIG, BIG))) {
            Http http = new Http(server.port(), null);
            Chats chat = new Chats();
            chat.turn(http, PrefixReuseTest.TURNS[0], 8);
            waitFor(() -> kvcFiles(dir).size() == 1, "turn 1 written behind");
            Path firstFile = kvcFiles(dir).getFirst();
            JsonNode second = chat.turn(http, PrefixReuseTest.TURNS[1], 8);
            // turn 2 replaced turn 1's entry; a kill now must still find one of them on disk
            assertThat(kvcFiles(dir)).as("right after turn 2").isNotEmpty();
            waitFor(() -> kvcFiles(dir).size() == 1 && !Files.exists(firstFile), "turn 2 written, turn 1's file deleted");
            assertThat(tokens(kvcFiles(dir).getFirst())).hasSize(Chats.promptTokens(second) + Chats.completionTokens(second) - 1);
            assertThat(PrefixReuseTest.metric(http.get("/metrics").body(), "kvasir_cache_bytes{tier=\"disk\"}"))
                    .isEqualTo(diskUsage(dir));
        }
    }

    @Test
    void aPromotedEntryKeepsItsFile(@TempDir Path dir) throws Exception {
        Chats chat = new Chats();
        try (KvasirServer server = KvasirServer.start(config(dir, BIG, BIG))) {
            chat.turn(new Http(server.port(), null), PrefixReuseTest.TURNS[0], 8);
        }
        List<Path> files = kvcFiles(dir);
        assertThat(files).hasSize(1);
        try (KvasirServer server = KvasirServer.start(config(dir, BIG, BIG))) {
            Http http = new Http(server.port(), null);
            // the same prompt again: resumed from the file, nothing longer replaces the entry
            chat.messages.remove(chat.messages.size() - 1);
            chat.messages.remove(chat.messages.size() - 1);
            JsonNode again = chat.turn(http, PrefixReuseTest.TURNS[0], 1);
            assertThat(Chats.cachedTokens(again)).isPositive();
            assertThat(PrefixReuseTest.metric(http.get("/metrics").body(), "kvasir_cache_promotions_total")).isEqualTo(1);
            Thread.sleep(1000);
            assertThat(Files.exists(files.getFirst())).as("the promoted entry's file stays while it is in RAM").isTrue();
        }
    }

    @Test
    void writesBehindStayWithinTheDiskBudget(@TempDir Path dir) throws Exception {
        long budget = 60_000;
        try (KvasirServer server = KvasirServer.start(config(dir, BIG, budget))) {
            Http http = new Http(server.port(), null);
            for (int i = 0; i < 8; i++) {
                String body = "{\"prompt\":\"Story " + i + ": once upon a time there was a " + "big ".repeat(i)
                        + "bear\",\"max_tokens\":8,\"temperature\":0}";
                assertThat(http.post("/v1/completions", body).statusCode()).isEqualTo(200);
                Thread.sleep(700); // past the write delay: every entry gets its turn to be written
                assertThat(diskUsage(dir)).as("after request %d", i).isLessThanOrEqualTo(budget);
            }
            assertThat(kvcFiles(dir)).hasSizeBetween(1, 7);
            assertThat(PrefixReuseTest.metric(http.get("/metrics").body(), "kvasir_cache_evictions_total{tier=\"disk\"}"))
                    .isPositive();
        }
    }

    @Test
    void leftoversOfAnInterruptedWriteAreRemovedAndNeverLoaded(@TempDir Path dir) throws Exception {
        Path prefix = Files.createDirectories(dir.resolve("prefix"));
        Path tmp = Files.write(prefix.resolve(".0123abcd.kvc.4711.tmp"), new byte[] {'K', 'V'});
        try (KvasirServer server = KvasirServer.start(config(dir, BIG, BIG))) {
            assertThat(tmp).doesNotExist();
            assertThat(Http.json(new Http(server.port(), null).get("/health")).get("cache_entries").asInt()).isZero();
        }
    }

    private static int[] tokens(Path kvc) {
        return PromptCache.load(kvc, PromptCache.readHeader(kvc).model()).tokens();
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within 2 s: %s", what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

}
