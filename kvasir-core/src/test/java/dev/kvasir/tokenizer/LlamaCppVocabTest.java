package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * llama.cpp's own tokenizer test vectors (tests/test-tokenizer-0 with ggml-vocab-*.gguf.inp/.out):
 * encode with add_special=false, parse_special=false must give exactly the recorded ids. The Llama 3 set
 * has no vocabulary GGUF here: its vocabulary comes from encoder.json + vocab.bpe.
 */
class LlamaCppVocabTest {

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String vocab : List.of("llama-spm", "phi-3", "gpt-2", "deepseek-llm")) {
            addCases(cases, vocab, TestTokenizers.gguf(vocab));
        }
        addCases(cases, "llama-bpe", TestTokenizers.llama3());
        return cases.stream();
    }

    private static void addCases(List<Arguments> cases, String vocab, Tokenizer tokenizer) {
        List<VocabTestVectors.Case> vectors = VocabTestVectors.read("ggml-vocab-" + vocab + ".gguf");
        for (int i = 0; i < vectors.size(); i++) {
            cases.add(Arguments.of(vocab + "#" + i, tokenizer, vectors.get(i).text(), vectors.get(i).ids()));
        }
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
