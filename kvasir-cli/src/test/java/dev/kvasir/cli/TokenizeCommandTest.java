package dev.kvasir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvasir.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kvasir tokenize} against llama.cpp's ids for stories260K, and how the model is found. */
class TokenizeCommandTest {

    @TempDir
    Path tmp;

    private static String model() {
        return SharedData.model("stories260K.gguf").toString();
    }

    @Test
    void tokenizeReproducesLlamaCppOnEdgeCases() throws IOException {
        JsonNode cases = Cli.JSON.readTree(SharedData.file("reference/tokenizer_edge.stories260K.llama.cpp.json").toFile());
        assertThat(cases.size()).isEqualTo(20);
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            JsonNode actual = Cli.json(Cli.exec("tokenize", "-m", model(), "-p", text, "--json"));
            assertThat(Cli.ints(actual.get("ids"))).as("ids of %s", text).isEqualTo(Cli.ints(c.get("ids")));
        }
    }

    @Test
    void tokenizeWithoutBosAndAsPlainIds() {
        Cli.Result withBos = Cli.exec("tokenize", "-m", model(), "-p", "Once upon a time");
        assertThat(withBos.out()).isEqualTo("1 403 407 261 378\n");
        Cli.Result noBos = Cli.exec("tokenize", "-m", model(), "-p", "Once upon a time", "--no-bos");
        assertThat(noBos.out()).isEqualTo("403 407 261 378\n");
        Cli.Result pieces = Cli.exec("tokenize", "-m", model(), "-p", "a", "--pieces");
        assertThat(pieces.out()).isEqualTo("     1 \"<s>\"\n   261 \" a\"\n");
    }

    @Test
    void modelFromTheEnvironmentAndFromTheConventionalPlace() throws IOException {
        JsonNode fromEnv = Cli.json(new Cli().env("KVASIR_MODEL", model()).run("tokenize", "-p", "a", "--json"));
        assertThat(Cli.ints(fromEnv.get("ids"))).containsExactly(1, 261);

        Path models = Files.createDirectories(tmp.resolve("shared/models"));
        Files.createSymbolicLink(models.resolve("stories260K.gguf"), Path.of(model()));
        Path repo = Files.createDirectories(tmp.resolve("kvasir"));
        JsonNode fromCwd = Cli.json(new Cli().workingDir(repo).run("tokenize", "-p", "a", "--json"));
        assertThat(Cli.ints(fromCwd.get("ids"))).containsExactly(1, 261);
        JsonNode fromInstall = Cli.json(new Cli().workingDir(tmp).installDir(repo).run("tokenize", "-p", "a", "--json"));
        assertThat(Cli.ints(fromInstall.get("ids"))).containsExactly(1, 261);
    }
}
