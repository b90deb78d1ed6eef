package dev.kvasir.cli;

import static dev.kvasir.cli.Workflows.model;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate --checkpoint} killed at several points and {@code --resume}d equals the uninterrupted run. */
class ResumableGenerationTest {
    private static final String[] SAMPLING = {"-p", "Once upon a time", "-n", "400", "--temp", "0.8", "--seed", "1234",
            "--repeat-penalty", "1.1", "--top-k", "30"};

    @TempDir
    Path tmp;

    private String[] with(String... head) {
        String[] out = new String[head.length + SAMPLING.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(SAMPLING, 0, out, head.length, SAMPLING.length);
        return out;
    }

    @Test
    void killedAndResumedGenerationEqualsTheUninterruptedOne() throws Exception {
        JsonNode whole = Cli.json(Cli.exec(with("generate", "-m", model(), "--json")));
        Path file = tmp.resolve("gen.kvc");
        int last = 0;
        boolean first = true;
        for (int killAfter : new int[] {2, 1, 3}) {
            Process p = first
                    ? Workflows.child(with("generate", "-m", model(), "--checkpoint", file.toString(), "--checkpoint-every", "5"))
                    : Workflows.child("generate", "--resume", file.toString());
            first = false;
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            int seen = 0;
            for (String line; seen < killAfter && (line = err.readLine()) != null; ) {
                seen += line.startsWith("checkpoint:") ? 1 : 0;
            }
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            JsonNode info = Cli.json(Cli.exec("cache", "info", file.toString(), "--json"));
            assertThat(info.get("metadata").get("gen.finished").asText()).as("killed before the end").isEqualTo("false");
            int now = info.get("tokens").asInt();
            assertThat(now).as("progress is kept across kills").isGreaterThan(last);
            last = now;
        }
        JsonNode resumed = Cli.json(Cli.exec("generate", "--resume", file.toString(), "--json"));
        assertThat(resumed.get("generated_token_ids")).isEqualTo(whole.get("generated_token_ids"));
        assertThat(resumed.get("text").asText()).isEqualTo(whole.get("text").asText());
        assertThat(resumed.get("seed").asLong()).isEqualTo(1234);

        JsonNode again = Cli.json(Cli.exec("generate", "--resume", file.toString(), "--json"));
        assertThat(again.get("text").asText()).as("a finished checkpoint replays its text").isEqualTo(whole.get("text").asText());
    }

    @Test
    void resumingAFileThatIsNotAGenerationIsRefused() throws IOException {
        Path doc = tmp.resolve("doc.kvc");
        Workflows.assertSuccess(Cli.exec("cache-prompt", "-m", model(), "-p", "Once upon a time", "--cache", doc.toString()));
        Cli.Result r = Cli.exec("generate", "--resume", doc.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("kvasir: ").containsOnlyOnce("\n").contains("not a generation checkpoint");
    }
}
