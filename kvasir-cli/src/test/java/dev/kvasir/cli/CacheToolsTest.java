package dev.kvasir.cli;

import static dev.kvasir.cli.Workflows.DOC;
import static dev.kvasir.cli.Workflows.model;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kvasir cache info|verify|trim|compact|ls|gc} on caches made by {@code cache-prompt}. */
class CacheToolsTest {
    @TempDir
    Path tmp;
    Path doc;

    @BeforeEach
    void cacheADocument() {
        doc = tmp.resolve("doc.kvc");
        Workflows.assertSuccess(Cli.exec("cache-prompt", "-m", model(), "-p", DOC, "--cache", doc.toString(),
                "--chunk", "32", "--checkpoint-every", "64"));
    }

    @Test
    void infoDescribesTheFile() throws IOException {
        JsonNode info = Cli.json(Cli.exec("cache", "info", doc.toString(), "--json"));
        int tokens = Workflows.tokens(doc).length;
        assertThat(info.get("tokens").asInt()).isEqualTo(tokens);
        assertThat(info.get("bytes").asLong()).isEqualTo(Files.size(doc));
        assertThat(info.get("bytes_per_token").asDouble()).isEqualTo((double) Files.size(doc) / tokens);
        assertThat(info.get("checkpoints").asInt()).isEqualTo((tokens + 63) / 64);
        assertThat(info.get("model_file").asText()).isEqualTo(Path.of(model()).toAbsolutePath().toString());
        assertThat(info.get("kind").asText()).isEqualTo("document, F16");
        assertThat(info.get("metadata").get("text").asText()).isEqualTo(DOC);

        Cli.Result text = Cli.exec("cache", "info", doc.toString());
        assertThat(text.out()).contains("tokens:          " + tokens, "characters)", "fingerprint:");
    }

    @Test
    void verifyPassesAnIntactFileAndFailsADamagedTailWithoutTouchingIt() throws IOException {
        Cli.Result ok = Cli.exec("cache", "verify", doc.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("ok,", "checkpoints", "matches");

        byte[] bytes = Files.readAllBytes(doc);
        bytes[bytes.length - 10] ^= 0x55; // inside the last checkpoint
        Files.write(doc, bytes);
        Cli.Result bad = Cli.exec("cache", "verify", doc.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).startsWith("kvasir: ").containsOnlyOnce("\n").contains("damaged", "CRC");
        assertThat(Files.readAllBytes(doc)).isEqualTo(bytes);

        Cli.Result compacted = Cli.exec("cache", "compact", doc.toString());
        assertThat(compacted.exitCode()).as(compacted.err()).isZero();
        assertThat(Cli.exec("cache", "verify", doc.toString()).exitCode()).isZero();
    }

    @Test
    void trimKeepsAPrefixWithTheSameContinuation() throws IOException {
        int[] before = Workflows.tokens(doc);
        Cli.Result r = Cli.exec("cache", "trim", doc.toString(), "50");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Workflows.tokens(doc)).isEqualTo(Arrays.copyOf(before, 50));
        assertThat(Cli.exec("cache", "trim", doc.toString(), "51").err()).contains("cannot keep 51 tokens, the cache holds 50");
    }

    @Test
    void compactRewritesManyCheckpointsAsOneAndKeepsTheTokens() throws IOException {
        int[] before = Workflows.tokens(doc);
        long size = Files.size(doc);
        Cli.Result r = Cli.exec("cache", "compact", doc.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.size(doc)).isLessThan(size);
        assertThat(Workflows.tokens(doc)).isEqualTo(before);
        assertThat(Cli.json(Cli.exec("cache", "info", doc.toString(), "--json")).get("checkpoints").asInt()).isEqualTo(1);
    }

    @Test
    void lsAndGcOrderByLastUseAndDeleteTheOldest() throws IOException {
        Path old = Files.copy(doc, tmp.resolve("old.kvc"));
        Path recent = Files.copy(doc, tmp.resolve("recent.kvc"));
        Files.writeString(tmp.resolve("notes.txt"), "not a cache");
        age(old, 3000);
        age(doc, 2000);
        age(recent, 1000);
        Workflows.assertSuccess(Cli.exec("generate", "--cache", recent.toString(), "-n", "1", "--temp", "0")); // a use
        Cli.Result ls = Cli.exec("cache", "ls", tmp.toString());
        assertThat(ls.out()).containsSubsequence("old.kvc", "doc.kvc", "recent.kvc", "3 cache files").doesNotContain("notes");

        long each = Files.size(doc);
        Cli.Result gc = Cli.exec("cache", "gc", tmp.toString(), "--max-bytes", Long.toString(each + each / 2));
        assertThat(gc.exitCode()).as(gc.err()).isZero();
        assertThat(old).doesNotExist();
        assertThat(doc).doesNotExist();
        assertThat(recent).exists();
        assertThat(tmp.resolve("notes.txt")).exists();
    }

    private static void age(Path file, long seconds) throws IOException {
        FileTime t = FileTime.fromMillis(System.currentTimeMillis() - seconds * 1000);
        Files.getFileAttributeView(file, java.nio.file.attribute.BasicFileAttributeView.class).setTimes(t, t, null);
    }

    @Test
    void exportToMlxAndImportBackGivesTheSameTokensAndContinuation() throws IOException {
        Path mlx = tmp.resolve("doc.safetensors");
        Cli.Result exported = Cli.exec("cache", "export", doc.toString(), "--format", "mlx", mlx.toString());
        assertThat(exported.exitCode()).as(exported.err()).isZero();
        byte[] header = Arrays.copyOf(Files.readAllBytes(mlx), 8);
        long headerLength = java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(new String(Files.readAllBytes(mlx), 8, (int) headerLength, java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"0.0\"", "\"0.1\"", "\"2.0\":\"KVCache\"");

        Path back = tmp.resolve("back.kvc");
        Cli.Result imported = Cli.exec("cache", "import", mlx.toString(), "--format", "mlx", "-m", model(), back.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(Workflows.tokens(back)).containsExactly(Workflows.tokens(doc));

        Cli.Result fromOriginal = Cli.exec("generate", "-m", model(), "--cache", doc.toString(), "-p", " Then", "-n", "24", "--temp", "0");
        Cli.Result fromImported = Cli.exec("generate", "-m", model(), "--cache", back.toString(), "-p", " Then", "-n", "24", "--temp", "0");
        assertThat(fromImported.exitCode()).as(fromImported.err()).isZero();
        assertThat(fromImported.out()).isEqualTo(fromOriginal.out()).isNotBlank();
    }

    @Test
    void exportRefusesAnUnknownFormatInOneLine() {
        Cli.Result r = Cli.exec("cache", "export", doc.toString(), "--format", "hf", tmp.resolve("x").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("kvasir: ").containsOnlyOnce("\n").contains("'hf'", "mlx");
        assertThat(Files.exists(tmp.resolve("x"))).isFalse();
    }
}
