package dev.kvasir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvasir.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void synthesizesAKQuantModelThatBenchAndGenerateRun() throws Exception {
        Path out = dir.resolve("tiny-q4_k.gguf");
        Cli.Result synth = Cli.exec("dev", "synth", "--shape", "tiny", "--type", "q4_k",
                "--vocab-from", SharedData.model("stories260K.gguf").toString(), "-o", out.toString());
        assertThat(synth.exitCode()).as(synth.err()).isZero();
        assertThat(out).isRegularFile();

        JsonNode bench = Cli.json(Cli.exec("bench", "-m", out.toString(), "-p", "8", "-n", "2,3", "-t", "1", "-r", "2",
                "--cache-prompt", "40", "--cache-dir", dir.toString(), "--json"));
        assertThat(bench.get("model").asText()).isEqualTo("llama 1.44 M Q4_K");
        assertThat(bench.get("results")).hasSize(3);
        assertThat(bench.get("results").get(1).get("test").asText()).isEqualTo("tg2");
        assertThat(bench.get("results").get(1).get("samples_ts")).hasSize(2);
        assertThat(bench.get("cache").get(0).get("prompt_tokens").asInt()).isEqualTo(40);
        assertThat(bench.get("cache").get(0).get("same_first_token").asBoolean()).isTrue();

        Cli.Result gen = Cli.exec("generate", "-m", out.toString(), "-p", "Once upon a time", "-n", "4", "--temp", "0");
        assertThat(gen.exitCode()).as(gen.err()).isZero();
    }

    @Test
    void markdownTableLikeLlamaBench() {
        Cli.Result r = Cli.exec("bench", "-m", SharedData.model("stories260K.gguf").toString(), "-p", "16", "-n", "4",
                "-t", "1", "-r", "1", "--cache-prompt", "0", "--md");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).isEqualTo("| model | size | params | backend | threads | test | t/s |");
        assertThat(lines[2]).startsWith("| llama 292.80 K F32").containsPattern("\\|\\s+pp16 \\|").containsPattern("\\d+\\.\\d\\d ± \\d+\\.\\d\\d");
        assertThat(lines[3]).containsPattern("\\|\\s+tg4 \\|");
    }

    @Test
    void badInputIsOneLineError() {
        Path model = SharedData.model("stories260K.gguf");
        assertThat(Cli.exec("bench", "-m", model.toString(), "-r", "0").err()).contains("-r must be at least 1");
        assertThat(Cli.exec("bench", "-m", model.toString(), "-p", "0", "-n", "0", "--cache-prompt", "0").err())
                .contains("nothing to measure");
        assertThat(Cli.exec("dev", "synth", "--shape", "gpt-5", "--vocab-from", model.toString(), "-o",
                dir.resolve("x.gguf").toString()).err()).contains("unknown model shape 'gpt-5'");
        Cli.Result badType = Cli.exec("dev", "synth", "--shape", "tiny", "--type", "q3_x", "--vocab-from", model.toString(),
                "-o", dir.resolve("x.gguf").toString());
        assertThat(badType.exitCode()).isEqualTo(1);
        assertThat(badType.err()).contains("unknown --type 'q3_x'");
    }
}
