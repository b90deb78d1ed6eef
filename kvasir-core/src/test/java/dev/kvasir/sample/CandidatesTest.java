package dev.kvasir.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CandidatesTest {

    /** Logits whose softmax is exactly 0.5, 0.3, 0.15, 0.05 for ids 2, 0, 3, 1. */
    private static float[] knownDistribution() {
        return new float[] {(float) Math.log(0.3), (float) Math.log(0.05), (float) Math.log(0.5), (float) Math.log(0.15)};
    }

    private static int[] ids(Candidates c) {
        int[] ids = new int[c.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = c.id(i);
        }
        return ids;
    }

    @Test
    void sortsByLogitDescendingAndBreaksTiesByLowerId() {
        Candidates c = Candidates.sorted(new float[] {1f, 3f, 2f, -1f, 2f, Float.NEGATIVE_INFINITY});
        assertThat(ids(c)).containsExactly(1, 2, 4, 0, 3, 5);
    }

    @Test
    void softmaxOfKnownDistribution() {
        assertThat(Candidates.sorted(knownDistribution()).probabilities())
                .containsExactly(new double[] {0.5, 0.3, 0.15, 0.05}, within(1e-6));
    }

    @Test
    void topKKeepsTheKMostLikely() {
        assertThat(ids(Candidates.top(knownDistribution(), 2))).containsExactly(2, 0);
        assertThat(ids(Candidates.top(knownDistribution(), 1))).containsExactly(2);
        assertThat(ids(Candidates.top(knownDistribution(), 0))).containsExactly(2, 0, 3, 1); // disabled
        assertThat(ids(Candidates.top(knownDistribution(), 10))).containsExactly(2, 0, 3, 1);
    }

    @Test
    void heapTopKEqualsTheHeadOfTheFullSort() {
        Random r = new Random(5);
        for (int round = 0; round < 50; round++) {
            float[] logits = new float[1 + r.nextInt(300)];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = r.nextInt(20) - 10 + (r.nextBoolean() ? 0.5f : 0f); // many ties
            }
            int k = 1 + r.nextInt(logits.length);
            int[] expected = Arrays.copyOf(ids(Candidates.sorted(logits)), k);
            assertThat(ids(Candidates.top(logits, k))).as("k=%d of %d", k, logits.length).containsExactly(expected);
        }
    }

    @Test
    void topPKeepsTokensUntilTheCumulativeProbabilityReachesP() {
        Candidates c = Candidates.sorted(knownDistribution());
        c.topP(0.7f); // 0.5 < 0.7, 0.5 + 0.3 >= 0.7
        assertThat(ids(c)).containsExactly(2, 0);
        assertThat(c.probabilities()).containsExactly(new double[] {0.625, 0.375}, within(1e-6));

        Candidates d = Candidates.sorted(knownDistribution());
        d.topP(0.9f); // 0.5, 0.8, 0.95
        assertThat(ids(d)).containsExactly(2, 0, 3);

        Candidates e = Candidates.sorted(knownDistribution());
        e.topP(0.1f); // the top token alone already reaches p
        assertThat(ids(e)).containsExactly(2);

        Candidates all = Candidates.sorted(knownDistribution());
        all.topP(1.0f);
        assertThat(all.size()).isEqualTo(4);
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheTopProbability() {
        Candidates c = Candidates.sorted(knownDistribution());
        c.minP(0.2f); // threshold 0.1: keeps 0.5, 0.3, 0.15
        assertThat(ids(c)).containsExactly(2, 0, 3);

        Candidates d = Candidates.sorted(knownDistribution());
        d.minP(0.5f); // threshold 0.25: keeps 0.5, 0.3
        assertThat(ids(d)).containsExactly(2, 0);

        Candidates e = Candidates.sorted(knownDistribution());
        e.minP(0f);
        assertThat(e.size()).isEqualTo(4);
    }

    @Test
    void temperatureSharpensOrFlattens() {
        Candidates c = Candidates.sorted(knownDistribution());
        c.temperature(0.5f); // p^2 renormalized: 0.25, 0.09, 0.0225, 0.0025 over 0.365
        assertThat(c.probabilities()).containsExactly(
                new double[] {0.25 / 0.365, 0.09 / 0.365, 0.0225 / 0.365, 0.0025 / 0.365}, within(1e-6));

        Candidates d = Candidates.sorted(new float[] {2f, 0f});
        d.temperature(2f); // logits 1, 0
        assertThat(d.probabilities()[0]).isCloseTo(Math.E / (Math.E + 1), within(1e-6));
    }

    @Test
    void pickWalksTheCumulativeDistribution() {
        Candidates c = Candidates.sorted(knownDistribution());
        assertThat(c.pick(0.0)).isEqualTo(2);
        assertThat(c.pick(0.49)).isEqualTo(2);
        assertThat(c.pick(0.51)).isEqualTo(0);
        assertThat(c.pick(0.79)).isEqualTo(0);
        assertThat(c.pick(0.81)).isEqualTo(3);
        assertThat(c.pick(0.96)).isEqualTo(1);
        assertThat(c.pick(0.9999999999)).isEqualTo(1);
    }
}
