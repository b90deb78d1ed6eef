package dev.kvasir.cli;

import static dev.kvasir.cli.Workflows.model;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cache-prompt --after}, {@code kvasir compose} and {@code generate --prompt-ids} end to end on stories260K. */
class ComposeCommandTest {
    static final String SYSTEM = "Once upon a time, there was a little girl named Lily.";
    static final String DOC_A = " She had a red ball and she liked to play with it in the park every day.";
    static final String DOC_B = " Tom was a big brown dog. He liked to run, jump and bark at the birds.";
    static final String QUESTION = " One day, Lily and Tom";

    @TempDir
    Path tmp;

    private Path segments() {
        Workflows.assertSuccess(Cli.exec("cache-prompt", "-m", model(), "-p", SYSTEM, "--cache", tmp.resolve("sys.kvc").toString()));
        for (String[] doc : new String[][] {{"a.kvc", DOC_A}, {"b.kvc", DOC_B}}) {
            Cli.Result r = Cli.exec("cache-prompt", "--after", tmp.resolve("sys.kvc").toString(), "-p", doc[1], "--cache",
                    tmp.resolve(doc[0]).toString());
            Workflows.assertSuccess(r);
            assertThat(r.err()).contains(Workflows.tokens(tmp.resolve("sys.kvc")).length + " reused");
        }
        return tmp.resolve("sys.kvc");
    }

    private JsonNode compose(String percent, String... docs) throws java.io.IOException {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("compose", "--prefix",
                tmp.resolve("sys.kvc").toString()));
        for (String d : docs) {
            args.addAll(java.util.List.of("--doc", tmp.resolve(d).toString()));
        }
        args.addAll(java.util.List.of("-p", QUESTION, "--recompute", percent, "-n", "16", "--temp", "0", "--json"));
        return Cli.json(Cli.exec(args.toArray(String[]::new)));
    }

    @Test
    void fullRecomputeAnswersExactlyAsGeneratingTheComposedIdsFromScratch() throws Exception {
        segments();
        JsonNode composed = compose("100", "b.kvc", "a.kvc");
        JsonNode composition = composed.get("composition");
        int prefix = composition.get("prefix_tokens").asInt();
        int docTokens = composition.get("document_tokens").get(0).asInt() + composition.get("document_tokens").get(1).asInt();
        assertThat(composition.get("recomputed_tokens").asInt()).isEqualTo(docTokens);

        Path ids = tmp.resolve("ids.json");
        Files.writeString(ids, composed.get("prompt_token_ids").toString());
        JsonNode fresh = Cli.json(Cli.exec("generate", "-m", model(), "--prompt-ids", ids.toString(), "-n", "16", "--temp", "0",
                "--json"));
        assertThat(fresh.get("prompt_token_ids")).isEqualTo(composed.get("prompt_token_ids"));
        assertThat(composed.get("prompt_token_ids").size()).isGreaterThan(prefix + docTokens);
        assertThat(composed.get("generated_token_ids")).isEqualTo(fresh.get("generated_token_ids"));
        // the order of documents is the prompt's: B's ids come right after the prefix
        int[] b = Workflows.tokens(tmp.resolve("b.kvc"));
        assertThat(composed.get("prompt_token_ids").get(prefix).asInt()).isEqualTo(b[prefix]);
    }

    @Test
    void aShareRecomputesThatManyTokensAndPlainConcatenationNone() throws Exception {
        segments();
        JsonNode plain = compose("0", "a.kvc", "b.kvc").get("composition");
        JsonNode some = compose("15", "a.kvc", "b.kvc").get("composition");
        int docTokens = some.get("document_tokens").get(0).asInt() + some.get("document_tokens").get(1).asInt();
        assertThat(plain.get("recomputed_tokens").asInt()).isZero();
        assertThat(some.get("recomputed_tokens").asInt()).isEqualTo((int) Math.ceil(0.15 * docTokens));
    }

    @Test
    void aDocumentCachedAfterAnotherPrefixIsRefusedInOneLine() {
        segments();
        Workflows.assertSuccess(Cli.exec("cache-prompt", "-m", model(), "-p", DOC_A, "--cache", tmp.resolve("plain.kvc").toString()));
        Cli.Result r = Cli.exec("compose", "--prefix", tmp.resolve("sys.kvc").toString(), "--doc", tmp.resolve("a.kvc").toString(),
                "--doc", tmp.resolve("plain.kvc").toString(), "-p", QUESTION, "-n", "4");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err().strip()).doesNotContain("\n").contains("plain.kvc: does not continue the prefix", "cache-prompt --after");
    }

    @Test
    void aSegmentResumedWithoutItsPrefixIsRefused() {
        segments();
        Cli.Result r = Cli.exec("cache-prompt", "-m", model(), "-p", DOC_A, "--cache", tmp.resolve("a.kvc").toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err().strip()).doesNotContain("\n").contains("is a document segment after", "--after");
    }

    @Test
    void promptIdsThatAreNotAnArrayOfIdsAreRefusedInOneLine() throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "[1, \"x\"]");
        Cli.Result r = Cli.exec("generate", "-m", model(), "--prompt-ids", bad.toString(), "-n", "4");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err().strip()).doesNotContain("\n").contains("element 1", "is not a token id");
        Cli.Result out = Cli.exec("generate", "-m", model(), "--prompt-ids", "[1]", "-p", "x");
        assertThat(out.exitCode()).isNotZero();
        assertThat(out.err()).contains("--prompt-ids replaces the prompt");
    }
}
