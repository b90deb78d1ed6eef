package dev.kvasir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.tokenizer.Tokenizer;
import dev.kvasir.tokenizer.VocabTestVectors;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kvasir tokenize} on the vocabulary-only GGUF files in shared/tokenizers (no tensors) against llama.cpp's
 * test vectors (.inp/.out, made with add_special = parse_special = false), one text at a time and with --batch.
 */
class VocabOnlyTokenizeTest {
    private static final int FIRST_CASES = 3;

    private static String vocab(String name) {
        return SharedData.file("tokenizers/ggml-vocab-" + name + ".gguf").toString();
    }

    private static String ids(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    private static String jsonLines(List<String> texts) {
        StringBuilder in = new StringBuilder();
        for (String text : texts) {
            try {
                in.append(Cli.JSON.writeValueAsString(text)).append('\n');
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return in.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "phi-3", "gpt-2", "deepseek-llm"})
    void firstCasesOneByOne(String name) {
        List<VocabTestVectors.Case> cases = VocabTestVectors.read("ggml-vocab-" + name + ".gguf");
        for (VocabTestVectors.Case c : cases.subList(0, FIRST_CASES)) {
            // --prompt=TEXT: some test strings start with '-' or are empty
            Cli.Result r = Cli.exec("tokenize", "-m", vocab(name), "--no-bos", "--prompt=" + c.text());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).as("ids of '%s'", c.text()).isEqualTo(ids(c.ids()) + "\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "phi-3", "gpt-2", "deepseek-llm"})
    void everyCaseInOneBatch(String name) {
        List<VocabTestVectors.Case> cases = VocabTestVectors.read("ggml-vocab-" + name + ".gguf");
        Cli.Result r = new Cli().stdin(jsonLines(cases.stream().map(VocabTestVectors.Case::text).toList()))
                .run("tokenize", "-m", vocab(name), "--no-bos", "--batch");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        String expected = cases.stream().map(c -> Arrays.stream(c.ids()).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "[", "]\n"))).collect(Collectors.joining());
        assertThat(r.out()).isEqualTo(expected);
    }

    @Test
    void gptNeoxHasNoVectorsButTokenizesLikeTheLibrary() {
        List<String> texts = List.of("Hello world", "  indented\n\tlines  ", "日本語 😀", "");
        Cli.Result r = new Cli().stdin(jsonLines(texts)).run("tokenize", "-m", vocab("gpt-neox"), "--batch");
        assertThat(r.exitCode()).as(r.err()).isZero();
        try (GgufFile file = GgufFile.open(SharedData.file("tokenizers/ggml-vocab-gpt-neox.gguf"))) {
            Tokenizer tokenizer = Tokenizer.of(file);
            String expected = texts.stream().map(t -> Arrays.stream(tokenizer.encode(t, true, false))
                    .mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]\n"))).collect(Collectors.joining());
            assertThat(r.out()).isEqualTo(expected);
        }
    }

    @Test
    void batchAddsBosAndParsesSpecialWhenAsked() {
        Cli.Result r = new Cli().stdin("\"<|user|>\\nHi\"\n\"Hi\"\n").run("tokenize", "-m", vocab("phi-3"), "--batch",
                "--parse-special");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("[1,32010,");
        assertThat(lines.get(1)).startsWith("[1,").doesNotContain("32010");
    }

    @Test
    void badBatchLineAnswersTheLinesBeforeAndNamesIt() {
        Cli.Result r = new Cli().stdin("\"a\"\n\"b\"\n{\"text\": \"c\"\n\"d\"\n")
                .run("tokenize", "-m", vocab("gpt-2"), "--batch");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.err()).startsWith("kvasir: stdin line 3: invalid JSON at line 1, column ").containsOnlyOnce("\n");

        Cli.Result number = new Cli().stdin("\"a\"\n42\n").run("tokenize", "-m", vocab("gpt-2"), "--batch");
        assertThat(number.err()).isEqualTo("kvasir: stdin line 2: expected a JSON string, found a number;"
                + " give one JSON string per line\n");

        Cli.Result empty = new Cli().stdin("\"a\"\n\n").run("tokenize", "-m", vocab("gpt-2"), "--batch");
        assertThat(empty.err()).startsWith("kvasir: stdin line 2: ").containsOnlyOnce("\n");

        Cli.Result mixed = new Cli().stdin("\"a\"\n").run("tokenize", "-m", vocab("gpt-2"), "--batch", "-p", "x");
        assertThat(mixed.exitCode()).isEqualTo(1);
        assertThat(mixed.err()).startsWith("kvasir: --batch reads the texts from stdin").containsOnlyOnce("\n");
    }
}
