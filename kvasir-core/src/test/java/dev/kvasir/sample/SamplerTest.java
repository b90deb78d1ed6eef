package dev.kvasir.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final SamplerSettings RANDOM = SamplerSettings.defaults().withSeed(42);

    private static float[] randomLogits(Random r, int n) {
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) (r.nextGaussian() * 3);
        }
        return logits;
    }

    @Test
    void greedyPicksTheArgmax() {
        Random r = new Random(1);
        Sampler sampler = new Sampler(SamplerSettings.greedy());
        for (int step = 0; step < 100; step++) {
            float[] logits = randomLogits(r, 512);
            int best = 0;
            for (int i = 0; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            assertThat(sampler.sample(logits)).isEqualTo(best);
        }
        assertThat(sampler.sample(new float[] {1f, 5f, 5f, 2f})).isEqualTo(1);
        assertThat(sampler.state().draws()).isZero();
    }

    @Test
    void sampleDoesNotModifyTheLogits() {
        float[] logits = {1f, 2f, 3f};
        float[] copy = logits.clone();
        Sampler sampler = new Sampler(RANDOM.withRepeatPenalty(1.5f, 64));
        sampler.accept(2);
        sampler.sample(logits);
        assertThat(logits).containsExactly(copy);
    }

    @Test
    void sameSeedGivesTheSameTokensAndAnotherSeedDoesNot() {
        int[] a = draw(new Sampler(RANDOM), 200, new Random(7));
        int[] b = draw(new Sampler(RANDOM), 200, new Random(7));
        int[] c = draw(new Sampler(RANDOM.withSeed(43)), 200, new Random(7));
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void randomSeedIsResolvedAndRecorded() {
        Sampler sampler = new Sampler(SamplerSettings.defaults());
        assertThat(sampler.state().seed()).isEqualTo(sampler.seed());
        int[] first = draw(sampler, 50, new Random(3));
        int[] replay = draw(new Sampler(SamplerSettings.defaults().withSeed(sampler.seed())), 50, new Random(3));
        assertThat(first).containsExactly(replay);
    }

    @Test
    void restoredStateContinuesIdentically() {
        SamplerSettings settings = RANDOM.withRepeatPenalty(1.3f, 16).withFrequencyAndPresencePenalty(0.2f, 0.1f);
        Sampler original = new Sampler(settings);
        draw(original, 40, new Random(11));
        SamplerState checkpoint = original.state();
        int[] continued = draw(original, 60, new Random(12));

        Sampler restored = Sampler.restore(settings, checkpoint);
        assertThat(restored.state()).isEqualTo(checkpoint);
        assertThat(draw(restored, 60, new Random(12))).containsExactly(continued);
        assertThat(checkpoint.history()).hasSize(16);
        assertThat(checkpoint.draws()).isEqualTo(40);
    }

    /** Samples {@code n} tokens from seeded random logits, accepting each, like a generation loop. */
    private static int[] draw(Sampler sampler, int n, Random logitSource) {
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = sampler.sample(randomLogits(logitSource, 64));
            sampler.accept(tokens[i]);
        }
        return tokens;
    }

    @Test
    void drawsFollowTheFilteredDistribution() {
        float[] logits = {(float) Math.log(0.3), (float) Math.log(0.05), (float) Math.log(0.5), (float) Math.log(0.15)};
        // top-p 0.9 keeps ids 2, 0, 3 (0.5, 0.3, 0.15); renormalized: 0.526, 0.316, 0.158
        Sampler sampler = new Sampler(new SamplerSettings(1.0f, 0, 0.9f, 0f, 1f, 0, 0f, 0f, 5));
        int[] counts = new int[4];
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            counts[sampler.sample(logits)]++;
        }
        assertThat(counts[1]).isZero();
        assertThat(counts[2] / (double) n).isCloseTo(0.5 / 0.95, within(0.02));
        assertThat(counts[0] / (double) n).isCloseTo(0.3 / 0.95, within(0.02));
        assertThat(counts[3] / (double) n).isCloseTo(0.15 / 0.95, within(0.02));
    }

    @Test
    void topKOfOneIsGreedyAtAnyTemperature() {
        Random r = new Random(9);
        Sampler sampler = new Sampler(RANDOM.withTopK(1).withTemperature(5f));
        for (int i = 0; i < 50; i++) {
            float[] logits = randomLogits(r, 100);
            assertThat(sampler.sample(logits)).isEqualTo(Sampler.argmax(logits));
        }
    }

    @Test
    void penaltiesFollowLlamaCpp() {
        SamplerSettings settings = RANDOM.withRepeatPenalty(2f, 64).withFrequencyAndPresencePenalty(0.1f, 0.5f);
        Penalties penalties = new Penalties(settings, new int[] {0, 1, 0});
        float[] logits = {2f, -2f, 1f, 0.5f};
        penalties.apply(logits);
        // token 0 seen twice: 2/2 - 2*0.1 - 0.5; token 1 seen once: -2*2 - 0.1 - 0.5; others untouched
        assertThat(logits).containsExactly(new float[] {0.3f, -4.6f, 1f, 0.5f}, within(1e-6f));
    }

    @Test
    void penaltiesOnlySeeTheLastNTokens() {
        Penalties penalties = new Penalties(RANDOM.withRepeatPenalty(2f, 2), new int[] {0, 1, 2});
        assertThat(penalties.history()).containsExactly(1, 2);
        float[] logits = {4f, 4f, 4f};
        penalties.apply(logits);
        assertThat(logits).containsExactly(4f, 2f, 2f);

        Penalties unbounded = new Penalties(RANDOM.withRepeatPenalty(2f, -1), new int[40]);
        assertThat(unbounded.history()).hasSize(40);
        Penalties off = new Penalties(RANDOM.withRepeatPenalty(2f, 0), new int[] {0});
        assertThat(off.history()).isEmpty();
    }

    @Test
    void penaltiesChangeTheGreedyChoice() {
        Sampler sampler = new Sampler(SamplerSettings.greedy().withRepeatPenalty(3f, 64));
        float[] logits = {3f, 2f};
        assertThat(sampler.sample(logits)).isZero();
        sampler.accept(0);
        assertThat(sampler.sample(logits)).isEqualTo(1); // 3/3 = 1 < 2
    }
}
