package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.gguf.GgufFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * llama.cpp's own tokenizer test vectors (tests/test-tokenizer-0 with ggml-vocab-*.gguf.inp/.out):
 * encode with add_special=false, parse_special=false must give exactly the recorded ids.
 */
class LlamaCppVocabTest {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (String vocab : List.of("llama-spm", "phi-3")) {
            Path gguf = SharedData.file("tokenizers/ggml-vocab-" + vocab + ".gguf");
            Tokenizer tokenizer;
            try (GgufFile file = GgufFile.open(gguf)) {
                tokenizer = Tokenizer.of(file);
            }
            List<String> inputs = readInputs(Path.of(gguf + ".inp"));
            List<String> outputs = Files.readAllLines(Path.of(gguf + ".out"), StandardCharsets.UTF_8);
            assertThat(inputs).hasSameSizeAs(outputs);
            for (int i = 0; i < inputs.size(); i++) {
                cases.add(Arguments.of(vocab + "#" + i, tokenizer, inputs.get(i), ids(outputs.get(i))));
            }
        }
        return cases.stream();
    }

    /** Splits like test-tokenizer-0's read_tests: a trailing separator does not start another case. */
    private static List<String> readInputs(Path path) throws IOException {
        String raw = Files.readString(path, StandardCharsets.UTF_8);
        List<String> inputs = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length()) {
            int next = raw.indexOf(SEPARATOR, pos);
            if (next < 0) {
                inputs.add(raw.substring(pos));
                break;
            }
            inputs.add(raw.substring(pos, next));
            pos = next + SEPARATOR.length();
        }
        return inputs;
    }

    private static int[] ids(String line) {
        String trimmed = line.strip();
        return trimmed.isEmpty() ? new int[0] : Arrays.stream(trimmed.split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodesLikeLlamaCpp(String name, Tokenizer tokenizer, String text, int[] expected) {
        assertThat(tokenizer.encode(text, false, false)).containsExactly(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodeRoundTrips(String name, Tokenizer tokenizer, String text, int[] expected) {
        assertThat(tokenizer.decode(expected)).isEqualTo(text);
    }
}
