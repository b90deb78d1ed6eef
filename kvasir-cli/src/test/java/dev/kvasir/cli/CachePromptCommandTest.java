package dev.kvasir.cli;

import static dev.kvasir.cli.Workflows.DOC;
import static dev.kvasir.cli.Workflows.MORE;
import static dev.kvasir.cli.Workflows.model;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kvasir cache-prompt} and {@code generate --cache} end to end on stories260K; asking a cache
 * and resuming killed runs also on the synthetic model of every family ({@link Workflows#models}).
 */
class CachePromptCommandTest {
    @TempDir
    Path tmp;

    private Cli.Result cachePrompt(Path out, String... extra) {
        return cachePrompt(model(), out, extra);
    }

    private Cli.Result cachePrompt(String model, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("cache-prompt", "-m", model, "--cache", out.toString(),
                "--chunk", "16", "--checkpoint-every", "32"));
        args.addAll(List.of(extra));
        return Cli.exec(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @MethodSource("dev.kvasir.cli.Workflows#models")
    void askingACacheEvaluatesOnlyTheSuffixAndEqualsAFromScratchRun(String model) throws IOException {
        Path doc = tmp.resolve("doc.kvc");
        Cli.Result cached = cachePrompt(model, doc, "-p", DOC);
        Workflows.assertSuccess(cached);
        assertThat(cached.err()).contains("checkpoint saved", "tokens/s", "ETA");
        int docTokens = Workflows.tokens(doc).length;

        String suffix = " Lily and the old man";
        JsonNode asked = Cli.json(Cli.exec("generate", "--cache", doc.toString(), "-p", suffix, "--temp", "0",
                "-n", "12", "--json"));
        JsonNode scratch = Cli.json(Cli.exec("generate", "-m", model, "-p", DOC + suffix, "--temp", "0", "-n", "12",
                "--json"));
        JsonNode cache = asked.get("cache");
        int total = scratch.get("prompt_token_ids").size();
        assertThat(cache.get("cached_tokens").asInt()).isEqualTo(docTokens);
        assertThat(cache.get("evaluated_tokens").asInt()).isEqualTo(total - docTokens).isLessThan(8);
        assertThat(cache.get("load_ms").asDouble()).isPositive();
        assertThat(cache.get("time_to_first_token_ms").asDouble()).isPositive();
        assertThat(asked.get("generated_token_ids")).isEqualTo(scratch.get("generated_token_ids"));
    }

    @Test
    void stderrReportsCachedAndEvaluatedTokens() {
        Path doc = tmp.resolve("doc.kvc");
        Workflows.assertSuccess(cachePrompt(doc, "-p", DOC));
        Cli.Result r = Cli.exec("generate", "--cache", doc.toString(), "-p", " The end", "--temp", "0", "-n", "4");
        Workflows.assertSuccess(r);
        assertThat(r.err()).containsPattern("cache: +\\d+ tokens cached, \\d+ evaluated; loaded in [0-9.]+ ms, first token after");
    }

    @Test
    void appendFileGivesTheCacheOfTheConcatenatedText() throws IOException {
        Path extended = tmp.resolve("extended.kvc");
        Path oneGo = tmp.resolve("one-go.kvc");
        Path more = Files.writeString(tmp.resolve("more.txt"), MORE, StandardCharsets.UTF_8);
        Workflows.assertSuccess(cachePrompt(extended, "-p", DOC));
        int before = Workflows.tokens(extended).length;
        Cli.Result appended = cachePrompt(extended, "--append-file", more.toString(), "--json");
        Workflows.assertSuccess(appended);
        Workflows.assertSuccess(cachePrompt(oneGo, "-p", DOC + MORE));

        assertThat(Workflows.tokens(extended)).isEqualTo(Workflows.tokens(oneGo));
        JsonNode r = Cli.JSON.readTree(appended.out());
        assertThat(r.get("reused_tokens").asInt()).isGreaterThanOrEqualTo(before - 2); // only the seam is recomputed
        assertThat(Workflows.greedy(extended, " One day", 10)).isEqualTo(Workflows.greedy(oneGo, " One day", 10));
    }

    @Test
    void rerunningAFinishedCacheComputesNothingAndKeepsTheFile() throws IOException {
        Path doc = tmp.resolve("doc.kvc");
        Workflows.assertSuccess(cachePrompt(doc, "-p", DOC));
        byte[] bytes = Files.readAllBytes(doc);
        JsonNode again = Cli.json(Cli.exec("cache-prompt", "--cache", doc.toString(), "--json"));
        assertThat(again.get("computed_tokens").asInt()).isZero();
        assertThat(Files.readAllBytes(doc)).isEqualTo(bytes);
    }

    @Test
    void saveAppendsToTheCacheAndSaveAsForksIt() throws IOException {
        Path doc = tmp.resolve("doc.kvc");
        Workflows.assertSuccess(cachePrompt(doc, "-p", DOC));
        byte[] original = Files.readAllBytes(doc);
        int docTokens = Workflows.tokens(doc).length;

        Path fork = tmp.resolve("fork.kvc");
        JsonNode forked = Cli.json(Cli.exec("generate", "--cache", doc.toString(), "-p", " Then", "--temp", "0",
                "-n", "6", "--json", "--save-as", fork.toString()));
        assertThat(Files.readAllBytes(doc)).isEqualTo(original);
        int[] forkTokens = Workflows.tokens(fork);
        assertThat(forkTokens.length).isEqualTo(docTokens + forked.get("prompt_token_ids").size() + 6 - 1);

        Cli.json(Cli.exec("generate", "--cache", doc.toString(), "-p", " Then", "--temp", "0", "-n", "6", "--json",
                "--save"));
        assertThat(Files.size(doc)).isGreaterThan(original.length);
        assertThat(Workflows.tokens(doc)).isEqualTo(forkTokens);
    }

    @ParameterizedTest
    @MethodSource("dev.kvasir.cli.Workflows#models")
    void killedRunsResumeToTheSameCacheAsAnUninterruptedRun(String model) throws Exception {
        Path killed = tmp.resolve("killed.kvc");
        Path whole = tmp.resolve("whole.kvc");
        Path text = Files.writeString(tmp.resolve("doc.txt"), DOC + MORE, StandardCharsets.UTF_8);
        int last = 0;
        for (int killAfter : new int[] {1, 2, 3}) {
            Process p = Workflows.child("cache-prompt", "-m", model, "--prompt-file", text.toString(), "--cache",
                    killed.toString(), "--chunk", "8", "--checkpoint-every", "16");
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            int seen = 0;
            for (String line; seen < killAfter && (line = err.readLine()) != null; ) {
                seen += line.contains("checkpoint saved") ? 1 : 0;
            }
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            int now = Workflows.tokens(killed).length;
            assertThat(now).as("each killed run kept its checkpoints").isGreaterThan(last);
            last = now;
        }
        JsonNode resumed = Cli.json(Cli.exec("cache-prompt", "--cache", killed.toString(), "--json"));
        assertThat(resumed.get("reused_tokens").asInt()).isEqualTo(last);
        assertThat(resumed.get("computed_tokens").asInt()).as("the kills landed before the end").isPositive();
        Workflows.assertSuccess(cachePrompt(model, whole, "--prompt-file", text.toString()));

        assertThat(Workflows.tokens(killed)).isEqualTo(Workflows.tokens(whole));
        assertThat(Workflows.greedy(killed, " The", 10)).isEqualTo(Workflows.greedy(whole, " The", 10));
    }
}
