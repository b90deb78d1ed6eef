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
 * A random-weight qwen2 model (NEOX RoPE, Q/K/V biases, GQA, LM head tied to token_embd) runs like
 * the scalar reference. No real qwen2 file is small enough to keep in shared/, so this is the check
 * that the qwen2-only paths are wired right.
 */
class Qwen2SyntheticTest {
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

            ReferenceForward reference = new ReferenceForward(c, model.weights());
            KvCache cache = new FullKvCache(c.kvLayout(), GgmlType.F32);
            SplittableRandom random = new SplittableRandom(3);
            int[] tokens = random.ints(24, 0, c.vocabSize()).toArray();
            float[] expected = null;
            for (int i = 0; i < 7; i++) {
                expected = reference.next(tokens[i]);
            }
            ReferenceForwardTest.assertClose(model.forward(tokens, 0, 7, cache), expected, 1e-5, 6);
            for (int pos = 7; pos < tokens.length; pos++) {
                ReferenceForwardTest.assertClose(model.forward(tokens, pos, 1, cache), reference.next(tokens[pos]),
                        1e-5, pos);
            }
        }
    }
}
