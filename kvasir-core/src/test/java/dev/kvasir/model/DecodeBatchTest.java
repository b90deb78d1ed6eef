package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.SharedData;
import dev.kvasir.cache.KvCache;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A decode batch is k single-token forwards done as one: every sequence's logits and cache must be
 * bit-identical to feeding its token alone, whatever its length and whoever shares the batch.
 */
class DecodeBatchTest {
    private static final int[] PROMPT_LENGTHS = {1, 5, 17, 3, 40};
    private static final int STEPS = 6;

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "tinyllama-v0-q4_0.gguf"})
    void batchedStepsEqualSeparateForwards(String file) {
        try (Model model = Model.load(SharedData.model(file))) {
            int k = PROMPT_LENGTHS.length;
            int[][] prompts = prompts(model, 42);
            KvCache[] batched = new KvCache[k];
            KvCache[] alone = new KvCache[k];
            int[] next = new int[k];
            for (int s = 0; s < k; s++) {
                batched[s] = model.newCache();
                alone[s] = model.newCache();
                model.forward(prompts[s], 0, prompts[s].length, batched[s]);
                next[s] = Greedy.argmax(model.forward(prompts[s], 0, prompts[s].length, alone[s]));
            }
            for (int step = 0; step < STEPS; step++) {
                // the batch shrinks from the front as steps go, so sequences change rows and partners
                int from = Math.min(step, k - 1);
                int[] tokens = Arrays.copyOfRange(next, from, k);
                float[][] logits = model.decodeBatch(tokens, Arrays.copyOfRange(batched, from, k));
                for (int s = from; s < k; s++) {
                    float[] expected = model.forward(next, s, 1, alone[s]);
                    assertBitIdentical(logits[s - from], expected, "%s: sequence %d, step %d".formatted(file, s, step));
                    assertThat(batched[s].size()).isEqualTo(alone[s].size());
                    next[s] = Greedy.argmax(expected);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf"})
    void badBatchesAreRefusedWithoutTouchingTheCaches(String file) {
        try (Model model = Model.load(SharedData.model(file))) {
            KvCache a = model.newCache();
            KvCache b = model.newCache();
            model.forward(new int[] {1, 2, 3}, 0, 3, a);
            assertThatThrownBy(() -> model.decodeBatch(new int[] {5, 6}, new KvCache[] {a, a}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
            assertThatThrownBy(() -> model.decodeBatch(new int[] {5}, new KvCache[] {a, b}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one token per cache");
            assertThatThrownBy(() -> model.decodeBatch(new int[] {5, model.config().vocabSize()}, new KvCache[] {a, b}))
                    .isInstanceOf(KvasirException.class).hasMessageContaining("outside the model's vocabulary");
            assertThat(a.size()).isEqualTo(3);
            assertThat(b.size()).isZero();
        }
    }

    /** Arrays.equals compares floats bit for bit; AssertJ only reports the first difference (not 32000 floats). */
    private static void assertBitIdentical(float[] actual, float[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        int at = Arrays.mismatch(actual, expected);
        if (at >= 0) {
            assertThat(actual[at]).as("%s: logit %d", what, at).isEqualTo(expected[at]);
        }
    }

    private static int[][] prompts(Model model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] prompts = new int[PROMPT_LENGTHS.length][];
        for (int s = 0; s < prompts.length; s++) {
            prompts[s] = random.ints(PROMPT_LENGTHS[s], 3, model.config().vocabSize()).toArray();
        }
        return prompts;
    }
}
