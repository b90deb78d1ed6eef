package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.cache.FullKvCache;
import dev.kvasir.cache.KvCache;
import dev.kvasir.tensor.GgmlType;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random-weight models exercise what no small real file in shared/ has: qwen2 (NEOX RoPE, Q/K/V
 * biases, LM head tied to token_embd) and llama's optional extras (attn_output.bias, Llama 3.1's
 * rope_freqs divisors, linear RoPE scaling). Each runs like the scalar reference.
 */
class SyntheticModelTest {
    @TempDir
    Path dir;

    @Test
    void qwen2ForwardMatchesTheReference() {
        try (Model model = Model.load(new SyntheticGguf().write(dir))) {
            ModelConfig c = model.config();
            assertThat(c.architecture()).isEqualTo(Architecture.QWEN2);
            assertThat(c.vocabSize()).isEqualTo(40);
            assertThat(c.ropeFreqBase()).isEqualTo(1_000_000f);
            assertThat(model.weights().output()).isSameAs(model.weights().tokenEmbd());
            assertThat(model.weights().layers().getFirst().attnQBias()).hasSize(16);
            assertMatchesReference(model);
        }
    }

    @Test
    void llamaWithRopeFreqsScalingAndOutputBiasMatchesTheReference() {
        SyntheticGguf gguf = new SyntheticGguf();
        gguf.architecture = "llama";
        gguf.qkvBiases = false;
        gguf.tiedOutput = false;
        gguf.outputBias = true;
        gguf.ropeFreqBase = 10000f;
        gguf.ropeFreqs = new float[] {1f, 2f};
        gguf.ropeScalingType = "linear";
        gguf.ropeScalingFactor = 4f;
        try (Model model = Model.load(gguf.write(dir))) {
            assertThat(model.config().ropeFreqScale()).isEqualTo(0.25f);
            assertThat(model.weights().ropeFreqs()).containsExactly(1f, 2f);
            assertThat(model.weights().layers().getFirst().attnOutputBias()).hasSize(16);
            assertThat(model.weights().output()).isNotSameAs(model.weights().tokenEmbd());
            assertMatchesReference(model);
        }
    }

    /** Prefill of 7 tokens, then 17 decoded one by one, each compared with the reference's logits. */
    private static void assertMatchesReference(Model model) {
        ModelConfig c = model.config();
        ReferenceForward reference = new ReferenceForward(c, model.weights());
        KvCache cache = new FullKvCache(c.kvLayout(), GgmlType.F32);
        int[] tokens = new SplittableRandom(3).ints(24, 0, c.vocabSize()).toArray();
        float[] expected = null;
        for (int i = 0; i < 7; i++) {
            expected = reference.next(tokens[i]);
        }
        ReferenceForwardTest.assertClose(model.forward(tokens, 0, 7, cache), expected, 1e-5, 6);
        for (int pos = 7; pos < tokens.length; pos++) {
            ReferenceForwardTest.assertClose(model.forward(tokens, pos, 1, cache), reference.next(tokens[pos]), 1e-5, pos);
        }
    }
}
