package dev.kvasir.cli;

import static dev.kvasir.cli.Workflows.model;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate --checkpoint / --resume} say what they do: summaries, reprinted text, overwrites, early kills. */
class CheckpointHonestyTest {
    @TempDir
    Path tmp;

    @Test
    void checkpointedAndResumedRunsPrintTheSummaryOtherRunsPrint() {
        Path file = tmp.resolve("gen.kvc");
        Cli.Result r = Cli.exec("generate", "-m", model(), "-p", "Once", "-n", "8", "--temp", "0", "--checkpoint",
                file.toString(), "--checkpoint-every", "4");
        Workflows.assertSuccess(r);
        assertThat(r.err()).containsPattern("prompt: +\\d+ tokens in").containsPattern("generation: +8 tokens in .*stopped: max_tokens");
        Cli.Result again = Cli.exec("generate", "--resume", file.toString());
        Workflows.assertSuccess(again);
        assertThat(again.err()).contains("generation: 8 tokens, finished before this run (nothing computed)");
    }

    @Test
    void resumeSaysThatItPrintsTheEarlierTextAgain() throws IOException {
        Path file = tmp.resolve("gen.kvc");
        Cli.Result whole = Cli.exec("generate", "-m", model(), "-p", "Once", "-n", "12", "--temp", "0", "--no-display-prompt");
        Workflows.assertSuccess(whole);
        Workflows.assertSuccess(Cli.exec("generate", "-m", model(), "-p", "Once", "-n", "12", "--temp", "0",
                "--checkpoint", file.toString()));
        Cli.Result resumed = Cli.exec("generate", "--resume", file.toString());
        assertThat(resumed.err()).contains("printing again the text of the 12 tokens generated before the checkpoint");
        assertThat(resumed.out()).isEqualTo(whole.out());
    }

    @Test
    void anExistingCheckpointFileIsNotOverwrittenWithoutForce() throws IOException {
        Path file = Files.writeString(tmp.resolve("gen.kvc"), "precious");
        Cli.Result r = Cli.exec("generate", "-m", model(), "-p", "Once", "-n", "4", "--checkpoint", file.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("kvasir: " + file + ": exists; continue that generation with --resume " + file
                + ", or pass --force to overwrite it\n");
        assertThat(Files.readString(file)).isEqualTo("precious");
        Workflows.assertSuccess(Cli.exec("generate", "-m", model(), "-p", "Once", "-n", "4", "--checkpoint", file.toString(),
                "--force"));
        assertThat(Workflows.tokens(file)).isNotEmpty();
    }

    /** Killed right after the prompt, long before the first token checkpoint: the resumed run equals an uninterrupted one. */
    @Test
    void aGenerationKilledBeforeItsFirstTokenCheckpointResumes() throws Exception {
        String[] sampling = {"-p", "Once upon a time, there was a little girl named Lily.", "-n", "1500", "--temp", "0.8",
                "--seed", "99", "--repeat-penalty", "1.1"};
        Path file = tmp.resolve("gen.kvc");
        Process p = Workflows.child(concat(new String[] {"generate", "-m", model(), "--checkpoint", file.toString(),
                "--checkpoint-every", "100000"}, sampling));
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String seen = null;
        for (String line; (line = err.readLine()) != null; ) {
            if (line.startsWith("checkpoint:")) {
                seen = line;
                break;
            }
        }
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).as("a checkpoint right after the prompt").contains("the prompt (");
        JsonNode info = Cli.json(Cli.exec("cache", "info", file.toString(), "--json"));
        assertThat(info.get("metadata").get("gen.finished").asText()).as("killed before the end").isEqualTo("false");
        assertThat(info.get("metadata").get("gen.generated").asText()).isEmpty();

        JsonNode resumed = Cli.json(Cli.exec("generate", "--resume", file.toString(), "--json"));
        JsonNode whole = Cli.json(Cli.exec(concat(new String[] {"generate", "-m", model(), "--json"}, sampling)));
        assertThat(resumed.get("generated_token_ids")).isEqualTo(whole.get("generated_token_ids"));
        assertThat(resumed.get("text").asText()).isEqualTo(whole.get("text").asText());
    }

    private static String[] concat(String[] a, String[] b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }
}
