package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Greedy decoding of stories260K reproduces llama-server's 64 generated ids exactly, with an F16
 * KV cache like llama.cpp's default. The references stop at the 64-token limit, not at EOS.
 */
class LlamaCppGreedyTest {
    private static Model model;

    @BeforeAll
    static void load() {
        model = Model.load(SharedData.model("stories260K.gguf"));
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"p1_once.llama-server.json", "p3_lily_tom.llama-server.json"})
    void greedyTokensMatchLlamaServer(String reference) {
        LlamaServerReference ref = LlamaServerReference.load(reference);
        int[] prompt = ref.promptIds();
        int[] expected = ref.generatedIds();
        assertThat(expected).hasSize(64).doesNotContain(2);

        assertThat(Greedy.generate(model, model.newCache(), prompt, expected.length)).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"p1_once.llama-server.json", "p3_lily_tom.llama-server.json"})
    void modelTokenizerGivesTheReferencePrompt(String reference) {
        LlamaServerReference ref = LlamaServerReference.load(reference);
        assertThat(model.tokenizer().encode(ref.prompt(), true, false)).containsExactly(ref.promptIds());
    }
}
