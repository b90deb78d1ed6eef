package dev.kvasir.cli;

import static dev.kvasir.cli.Workflows.DOC;
import static dev.kvasir.cli.Workflows.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.kvasir.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad cache files and destinations: one "kvasir: ..." line, exit code 1, and existing files left as they were. */
class CacheBadInputTest {
    @TempDir
    Path tmp;
    Path doc;
    byte[] docBytes;

    @BeforeEach
    void cacheADocument() throws IOException {
        doc = tmp.resolve("doc.kvc");
        Workflows.assertSuccess(Cli.exec("cache-prompt", "-m", model(), "-p", DOC, "--cache", doc.toString()));
        docBytes = Files.readAllBytes(doc);
    }

    static void assertOneLineError(Cli.Result r, String... fragments) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("kvasir: ").containsOnlyOnce("\n").doesNotContain("\tat ", "Exception");
        assertThat(r.err()).contains(fragments);
    }

    @Test
    void missingCacheFile() {
        assertOneLineError(Cli.exec("generate", "-m", model(), "--cache", tmp.resolve("nope.kvc").toString(), "-p", "x"),
                "nope.kvc", "no such cache file");
        assertOneLineError(Cli.exec("cache", "info", tmp.resolve("nope.kvc").toString()), "nope.kvc", "no such cache file");
    }

    @Test
    void truncatedHeader() throws IOException {
        Path cut = Files.write(tmp.resolve("cut.kvc"), Arrays.copyOf(docBytes, 30));
        assertOneLineError(Cli.exec("generate", "-m", model(), "--cache", cut.toString(), "-p", "x"), "cut.kvc", "truncated");
        assertThat(Files.readAllBytes(cut)).hasSize(30);
    }

    @Test
    void truncatedTailIsReportedByVerifyAndStillUsable() throws IOException {
        Path cut = Files.write(tmp.resolve("cut.kvc"), Arrays.copyOf(docBytes, docBytes.length - 100));
        assertOneLineError(Cli.exec("cache", "verify", cut.toString()), "cut.kvc", "damaged");
        Cli.Result r = Cli.exec("generate", "--cache", cut.toString(), "-p", " The", "-n", "2", "--temp", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("ignored", "torn");
        assertThat(Files.readAllBytes(cut)).hasSize(docBytes.length - 100);
    }

    @Test
    void foreignFile() throws IOException {
        Path foreign = Files.writeString(tmp.resolve("notes.kvc"), "these are my notes, not a cache");
        assertOneLineError(Cli.exec("generate", "-m", model(), "--cache", foreign.toString(), "-p", "x"),
                "notes.kvc", "not a Kvasir cache file");
        assertOneLineError(Cli.exec("cache-prompt", "-m", model(), "-p", "x", "--cache", foreign.toString()),
                "not a Kvasir cache file");
        assertThat(Files.readString(foreign)).isEqualTo("these are my notes, not a cache");
    }

    @Test
    void cacheOfAnotherModel() throws IOException {
        String other = SharedData.model("llama-2-tiny-random-f16.gguf").toString();
        assertOneLineError(Cli.exec("generate", "-m", other, "--cache", doc.toString(), "-p", "x", "--save"),
                "doc.kvc", "cache was made for model");
        assertOneLineError(Cli.exec("cache-prompt", "-m", other, "-p", "x", "--cache", doc.toString()),
                "cache was made for model");
        assertThat(Files.readAllBytes(doc)).isEqualTo(docBytes);
    }

    @Test
    void missingModelNamedByTheCache() throws IOException {
        Path moved = tmp.resolve("moved");
        Files.createDirectories(moved);
        Path copy = Files.copy(SharedData.model("stories260K.gguf"), moved.resolve("m.gguf"));
        Path c = tmp.resolve("c.kvc");
        Workflows.assertSuccess(Cli.exec("cache-prompt", "-m", copy.toString(), "-p", "Once", "--cache", c.toString()));
        Files.delete(copy);
        assertOneLineError(Cli.exec("generate", "--cache", c.toString(), "-p", "x"), "m.gguf", "no longer exists", "-m");
    }

    @Test
    void destinationDirectoryMissing() {
        Path nowhere = tmp.resolve("no/such/dir/out.kvc");
        assertOneLineError(Cli.exec("cache-prompt", "-m", model(), "-p", "x", "--cache", nowhere.toString()),
                "does not exist");
        assertOneLineError(Cli.exec("generate", "--cache", doc.toString(), "-p", "x", "--save-as", nowhere.toString()),
                "does not exist");
    }

    @Test
    void readOnlyDestination() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root can write read-only files");
        assertThat(doc.toFile().setWritable(false)).isTrue();
        assertOneLineError(Cli.exec("generate", "--cache", doc.toString(), "-p", "x", "--save"), "not writable");
        assertThat(Files.readAllBytes(doc)).isEqualTo(docBytes);
    }
}
