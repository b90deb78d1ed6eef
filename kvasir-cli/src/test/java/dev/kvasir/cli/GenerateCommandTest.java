package dev.kvasir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvasir.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code kvasir generate} end to end against llama.cpp's outputs for stories260K. */
class GenerateCommandTest {

    @TempDir
    Path tmp;

    private static String model() {
        return SharedData.model("stories260K.gguf").toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"p1_once.llama-server.json", "p3_lily_tom.llama-server.json"})
    void greedyGenerationReproducesLlamaServer(String reference) throws IOException {
        JsonNode expected = Cli.JSON.readTree(SharedData.file("reference/" + reference).toFile());
        JsonNode actual = Cli.json(Cli.exec("generate", "-m", model(), "-p", expected.get("prompt").asText(),
                "--json", "--temp", "0", "-n", "64"));
        assertThat(Cli.ints(actual.get("prompt_token_ids"))).isEqualTo(Cli.ints(expected.get("prompt_token_ids")));
        assertThat(Cli.ints(actual.get("generated_token_ids"))).isEqualTo(Cli.ints(expected.get("generated_token_ids")));
        assertThat(actual.get("text").asText()).isEqualTo(expected.get("text").asText());
        assertThat(actual.get("stop_reason").asText()).isEqualTo("max_tokens");
        JsonNode timings = actual.get("timings");
        assertThat(timings.get("prompt_tokens").asInt()).isEqualTo(expected.get("n_prompt_tokens").asInt());
        assertThat(timings.get("generated_tokens").asInt()).isEqualTo(64);
        assertThat(timings.get("generation_tokens_per_second").asDouble()).isPositive();
    }

    @Test
    void streamsThePromptAndTheTextAndReportsSpeed() throws IOException {
        JsonNode expected = Cli.JSON.readTree(SharedData.file("reference/p1_once.llama-server.json").toFile());
        Cli.Result r = Cli.exec("generate", "-m", model(), "-p", "Once upon a time", "--temp", "0", "-n", "8");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Once upon a time, there was").endsWith("\n");
        String generated = r.out().substring("Once upon a time".length(), r.out().length() - 1);
        assertThat(expected.get("text").asText()).startsWith(generated);
        assertThat(r.err()).contains("prompt:", "generation:", "tokens/s");
    }

    @Test
    void stopStringEndsTheTextBeforeIt() throws IOException {
        JsonNode r = Cli.json(Cli.exec("generate", "-m", model(), "-p", "Once upon a time", "--json", "--temp", "0",
                "-n", "64", "--stop", "Lily."));
        assertThat(r.get("text").asText()).isEqualTo(", there was a little girl named ");
        assertThat(r.get("stop_reason").asText()).isEqualTo("stop_string");
    }

    @Test
    void promptFromStdinAndFromAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("prompt.txt"), "Once upon a time");
        JsonNode fromStdin = Cli.json(new Cli().stdin("Once upon a time").run("generate", "-m", model(), "-p", "-",
                "--json", "--temp", "0", "-n", "8"));
        JsonNode fromFile = Cli.json(Cli.exec("generate", "-m", model(), "--prompt-file", file.toString(), "--json",
                "--temp", "0", "-n", "8"));
        assertThat(Cli.ints(fromStdin.get("prompt_token_ids"))).containsExactly(1, 403, 407, 261, 378);
        assertThat(Cli.ints(fromFile.get("generated_token_ids"))).isEqualTo(Cli.ints(fromStdin.get("generated_token_ids")));
    }

    @Test
    void sameSeedSameStory() throws IOException {
        String[] args = {"generate", "-m", model(), "-p", "Once upon a time", "--json", "-n", "16", "--seed", "7"};
        JsonNode a = Cli.json(Cli.exec(args));
        JsonNode b = Cli.json(Cli.exec(args));
        assertThat(a.get("generated_token_ids")).isEqualTo(b.get("generated_token_ids"));
        assertThat(a.get("seed").asLong()).isEqualTo(7);
    }


    @Test
    void stopsGeneratingWhenNobodyReadsStdout() {
        Cli.Result r = new Cli().stdoutClosed().run("generate", "-m", model(), "-p", "Once upon a time", "-n", "500");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).contains("generation:     1 tokens", "stopped: cancelled");
    }
}
