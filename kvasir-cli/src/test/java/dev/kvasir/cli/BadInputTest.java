package dev.kvasir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input ends with one "kvasir: ..." line on stderr and a non-zero exit code, never a stack trace. */
class BadInputTest {
    @TempDir
    Path tmp;

    private static void assertOneLineError(Cli.Result r, int code, String... fragments) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(code);
        assertThat(r.err()).startsWith("kvasir: ").containsOnlyOnce("\n").doesNotContain("\tat ", "Exception:");
        assertThat(r.err()).contains(fragments);
    }

    @Test
    void unknownFlagIsAUsageError() {
        Cli.Result r = Cli.exec("generate", "--bogus", "-p", "x");
        assertOneLineError(r, 2, "--bogus", "kvasir generate --help");
    }

    @Test
    void missingCommandIsAUsageError() {
        assertOneLineError(Cli.exec(), 2, "generate", "tokenize");
    }

    @Test
    void badNumberIsAUsageError() {
        assertOneLineError(Cli.exec("generate", "-n", "many", "-p", "x"), 2, "many");
    }

    @Test
    void missingModelFile() {
        Cli.Result r = Cli.exec("generate", "-m", tmp.resolve("nope.gguf").toString(), "-p", "x");
        assertOneLineError(r, 1, "nope.gguf", "not found", "KVASIR_MODEL");
    }

    @Test
    void missingModelFromEnvironment() {
        Cli.Result r = new Cli().env("KVASIR_MODEL", tmp.resolve("gone.gguf").toString()).run("tokenize", "-p", "x");
        assertOneLineError(r, 1, "gone.gguf", "$KVASIR_MODEL");
    }

    @Test
    void noModelAnywhereSaysHowToGetOne() throws IOException {
        // two levels down, so "../shared" cannot be a real shared/ folder next to the temp dir
        Path nowhere = Files.createDirectories(tmp.resolve("no-shared/here"));
        Cli.Result r = new Cli().workingDir(nowhere).installDir(nowhere).run("generate", "-p", "x");
        assertOneLineError(r, 1, "-m", "KVASIR_MODEL");
    }

    @Test
    void notAGgufFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.gguf"), "these are not the weights you are looking for\n");
        assertOneLineError(Cli.exec("generate", "-m", file.toString(), "-p", "x"), 1, "notes.gguf");
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] model = Files.readAllBytes(SharedData.model("stories260K.gguf"));
        Path file = Files.write(tmp.resolve("cut.gguf"), Arrays.copyOf(model, model.length / 2));
        assertOneLineError(Cli.exec("generate", "-m", file.toString(), "-p", "x"), 1, "cut.gguf");
    }

    @Test
    void ggufVersion1() {
        Path v1 = SharedData.model("stories260K-gguf-v1.gguf");
        assertOneLineError(Cli.exec("generate", "-m", v1.toString(), "-p", "x"), 1, "version 1");
    }

    @Test
    void flatBlocksModelNamesTheTensor() {
        Path flat = SharedData.model("stories260K-q8_0-flatblocks.gguf");
        assertOneLineError(Cli.exec("generate", "-m", flat.toString(), "-p", "x"), 1, "ffn_down");
    }

    @Test
    void promptLongerThanTheContext() throws IOException {
        Path model = SharedData.model("stories260K.gguf");
        Path prompt = Files.writeString(tmp.resolve("long.txt"), "Once upon a time there was a cat. ".repeat(400));
        Cli.Result r = Cli.exec("generate", "-m", model.toString(), "--prompt-file", prompt.toString(), "-n", "1");
        assertOneLineError(r, 1, "context", "2048");
    }

    @Test
    void missingPromptFile() {
        Path model = SharedData.model("stories260K.gguf");
        Cli.Result r = Cli.exec("generate", "-m", model.toString(), "--prompt-file", tmp.resolve("p.txt").toString());
        assertOneLineError(r, 1, "p.txt", "no such file");
    }

    @Test
    void noPrompt() {
        assertOneLineError(Cli.exec("generate", "-m", "x.gguf"), 1, "-p");
    }

    @Test
    void invalidSamplerSetting() {
        Path model = SharedData.model("stories260K.gguf");
        assertOneLineError(Cli.exec("generate", "-m", model.toString(), "-p", "x", "--repeat-penalty", "0"), 1,
                "repeat penalty");
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path file = Files.writeString(tmp.resolve("bad.gguf"), "nope");
        Cli.Result r = Cli.exec("generate", "--verbose", "-m", file.toString(), "-p", "x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("kvasir: ").contains("\tat ");
    }
}
