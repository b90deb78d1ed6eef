package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.cache.FullKvCache;
import dev.kvasir.cache.KvCache;
import dev.kvasir.tensor.GgmlType;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fast forward pass (batched prefill, then single-token decoding) gives the scalar reference's
 * logits at every position. The cache is F32 here so that only arithmetic differs: float sums in
 * another order (SIMD lanes, blocked matrix products) against double sums.
 *
 * <p>The tolerance is relative to the largest |logit| of the position. Float32 rounding (2^-24 ≈ 6e-8
 * per operation, growing with the square root of dot-product lengths of 64..256 and through up to 8
 * blocks) puts the expected difference near 1e-6, which is what all three models show (measured
 * ≤ 2e-6, Q4_0 included since the kernels dequantize without re-quantizing activations). 1e-4 leaves
 * 50× headroom for other summation orders while a real defect is orders of magnitude larger: using
 * the NEOX RoPE pairing for llama already gives differences above 1e-2.
 */
class ReferenceForwardTest {
    /** Positions compared per model: a few dozen, so that attention spans long enough rows. */
    private static final int POSITIONS = 32;
    /** Tokens prefilled as one batch before decoding the rest one by one. */
    private static final int PREFILL = 11;

    @ParameterizedTest
    @CsvSource({
        "stories260K.gguf,             1e-4",
        "tinyllama-v0-q4_0.gguf,       1e-4",
        "llama-2-tiny-random-f16.gguf, 1e-4",
    })
    void logitsMatchTheScalarReference(String file, double tolerance) {
        try (Model model = Model.load(SharedData.model(file))) {
            ReferenceForward reference = new ReferenceForward(model.config(), model.weights());
            int[] tokens = tokens(model.config().vocabSize());
            KvCache cache = new FullKvCache(model.config().kvLayout(), GgmlType.F32);

            float[] expected = null;
            for (int i = 0; i < PREFILL; i++) {
                expected = reference.next(tokens[i]);
            }
            assertClose(model.forward(tokens, 0, PREFILL, cache), expected, tolerance, PREFILL - 1);
            for (int pos = PREFILL; pos < POSITIONS; pos++) {
                assertClose(model.forward(tokens, pos, 1, cache), reference.next(tokens[pos]), tolerance, pos);
            }
        }
    }

    /** BOS, then seeded random ids: real text is not needed to compare two implementations. */
    private static int[] tokens(int vocab) {
        SplittableRandom random = new SplittableRandom(42);
        int[] tokens = new int[POSITIONS];
        tokens[0] = 1;
        for (int i = 1; i < POSITIONS; i++) {
            tokens[i] = random.nextInt(3, vocab);
        }
        return tokens;
    }

    static void assertClose(float[] actual, float[] expected, double relativeTolerance, int position) {
        double scale = 1;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(worst / scale).as("max |logit difference| / max |logit| at position %d", position)
                .isLessThanOrEqualTo(relativeTolerance);
    }
}
