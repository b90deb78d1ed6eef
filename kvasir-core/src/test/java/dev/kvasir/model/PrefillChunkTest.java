package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.cache.FullKvCache;
import dev.kvasir.tensor.GgmlType;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Splitting a prompt into prefill chunks of any size changes only how tokens are grouped into
 * matrix products: the greedy continuation is the same and the logits agree to float rounding.
 */
class PrefillChunkTest {
    private static final int GENERATED = 16;
    private static Model model;
    private static int[] prompt;
    private static float[] wholeLogits;
    private static int[] wholeTokens;

    @BeforeAll
    static void runWholePrompt() {
        model = Model.load(SharedData.model("stories260K.gguf"));
        LlamaServerReference ref = LlamaServerReference.load("p3_lily_tom.llama-server.json");
        // the reference's prompt and continuation: 30 tokens of real text
        int[] text = IntStream.concat(Arrays.stream(ref.promptIds()), Arrays.stream(ref.generatedIds())).toArray();
        prompt = Arrays.copyOf(text, 30);
        model.setPrefillChunk(prompt.length);
        wholeLogits = model.forward(prompt, 0, prompt.length, new FullKvCache(model.config().kvLayout(), GgmlType.F32)).clone();
        wholeTokens = Greedy.generate(model, model.newCache(), prompt, GENERATED);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 29, 512})
    void chunkedPrefillMatchesOnePass(int chunk) {
        model.setPrefillChunk(chunk);
        float[] logits = model.forward(prompt, 0, prompt.length, new FullKvCache(model.config().kvLayout(), GgmlType.F32));
        ReferenceForwardTest.assertClose(logits, wholeLogits, 1e-5, prompt.length - 1);
        assertThat(Greedy.generate(model, model.newCache(), prompt, GENERATED)).containsExactly(wholeTokens);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void promptFedInPiecesMatchesOnePass(int chunk) {
        model.setPrefillChunk(chunk);
        var cache = new FullKvCache(model.config().kvLayout(), GgmlType.F32);
        model.forward(prompt, 0, 11, cache);
        model.forward(prompt, 11, 1, cache);
        float[] logits = model.forward(prompt, 12, prompt.length - 12, cache);
        assertThat(cache.size()).isEqualTo(prompt.length);
        ReferenceForwardTest.assertClose(logits, wholeLogits, 1e-5, prompt.length - 1);
    }
}
