package dev.kvasir.model.recurrent;

import static dev.kvasir.model.recurrent.ShortConvTest.gaussian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GatedDeltaNetTest {
    private static final int HEADS = 4, K_HEADS = 2, D = 8, TOKENS = 19;

    @Test
    void matchesTheDeltaRuleWrittenOutInDoublePrecision() {
        Inputs in = Inputs.random(new Random(35), TOKENS);
        float[] out = new float[TOKENS * HEADS * D];
        DeltaNetState state = DeltaNetState.zeros(HEADS, D);
        GatedDeltaNet.apply(TOKENS, K_HEADS, in.q, in.k, in.v, in.g, in.beta, out, state);

        double[][][] s = new double[HEADS][D][D];
        for (int t = 0; t < TOKENS; t++) {
            for (int h = 0; h < HEADS; h++) {
                int kh = h % K_HEADS;
                double a = Math.exp(in.g[t * HEADS + h]);
                double b = in.beta[t * HEADS + h];
                for (double[] row : s[h]) {
                    for (int j = 0; j < D; j++) row[j] *= a;
                }
                double[] delta = new double[D];
                for (int j = 0; j < D; j++) {
                    double recalled = 0;
                    for (int i = 0; i < D; i++) recalled += s[h][i][j] * in.k[(t * K_HEADS + kh) * D + i];
                    delta[j] = b * (in.v[(t * HEADS + h) * D + j] - recalled);
                }
                for (int i = 0; i < D; i++) {
                    for (int j = 0; j < D; j++) s[h][i][j] += in.k[(t * K_HEADS + kh) * D + i] * delta[j];
                }
                for (int j = 0; j < D; j++) {
                    double o = 0;
                    for (int i = 0; i < D; i++) o += s[h][i][j] * in.q[(t * K_HEADS + kh) * D + i];
                    assertThat(out[(t * HEADS + h) * D + j]).as("t %d head %d j %d", t, h, j)
                            .isCloseTo((float) (o / Math.sqrt(D)), within(1e-5f));
                }
            }
        }
        for (int h = 0; h < HEADS; h++) {
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    assertThat(state.get(h, i, j)).isCloseTo((float) s[h][i][j], within(1e-5f));
                }
            }
        }
    }

    @Test
    void stateCarriedOverSplitsEqualsOnePassBitForBit() {
        Inputs in = Inputs.random(new Random(7), TOKENS);
        float[] whole = new float[TOKENS * HEADS * D];
        DeltaNetState onePass = DeltaNetState.zeros(HEADS, D);
        GatedDeltaNet.apply(TOKENS, K_HEADS, in.q, in.k, in.v, in.g, in.beta, whole, onePass);

        for (int[] chunks : new int[][] {{1, 18}, {6, 6, 7}, {10, 1, 1, 7}}) {
            DeltaNetState state = DeltaNetState.zeros(HEADS, D);
            DeltaNetState snapshot = null;
            float[] out = new float[whole.length];
            int start = 0;
            for (int n : chunks) {
                Inputs part = in.slice(start, n);
                float[] o = new float[n * HEADS * D];
                GatedDeltaNet.apply(n, K_HEADS, part.q, part.k, part.v, part.g, part.beta, o, state);
                System.arraycopy(o, 0, out, start * HEADS * D, o.length);
                start += n;
                if (snapshot == null) snapshot = state.copy();
            }
            assertThat(out).containsExactly(whole);
            assertThat(state).isEqualTo(onePass);

            // Recomputing from the first snapshot reproduces the rest, as a prompt cache would.
            int first = chunks[0];
            Inputs rest = in.slice(first, TOKENS - first);
            float[] o = new float[(TOKENS - first) * HEADS * D];
            GatedDeltaNet.apply(TOKENS - first, K_HEADS, rest.q, rest.k, rest.v, rest.g, rest.beta, o, snapshot);
            assertThat(snapshot).isEqualTo(onePass);
            assertThat(o).containsExactly(java.util.Arrays.copyOfRange(whole, first * HEADS * D, whole.length));
        }
    }

    @Test
    void withFullWritesAndNoDecayItRecallsEveryValueStoredUnderOrthonormalKeys() {
        int d = 4;
        float[][] keys = {{1, 0, 0, 0}, {0, 0.6f, 0.8f, 0}, {0, -0.8f, 0.6f, 0}, {0, 0, 0, 1}};
        Random random = new Random(3);
        float[][] values = new float[d][];
        DeltaNetState state = DeltaNetState.zeros(1, d);
        float[] out = new float[d];
        for (int n = 0; n < d; n++) {
            values[n] = gaussian(random, d);
            GatedDeltaNet.apply(1, 1, keys[n], keys[n], values[n], new float[] {0}, new float[] {1}, out, state);
        }
        for (int n = 0; n < d; n++) {
            // beta = 0 writes nothing; g = ln(1/2) halves the memory before the read.
            GatedDeltaNet.apply(1, 1, keys[n], keys[n], new float[d], new float[] {(float) Math.log(0.5)},
                    new float[] {0}, out, state);
            double expectedScale = Math.pow(0.5, n + 1) / Math.sqrt(d);
            for (int j = 0; j < d; j++) {
                assertThat(out[j]).isCloseTo((float) (values[n][j] * expectedScale), within(1e-5f));
            }
        }
    }

    private record Inputs(float[] q, float[] k, float[] v, float[] g, float[] beta) {
        static Inputs random(Random random, int tokens) {
            float[] g = new float[tokens * HEADS];
            float[] beta = new float[tokens * HEADS];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) -Math.abs(random.nextGaussian()) * 0.3f;
                beta[i] = random.nextFloat();
            }
            return new Inputs(unitRows(random, tokens * K_HEADS), unitRows(random, tokens * K_HEADS),
                    gaussian(random, tokens * HEADS * D), g, beta);
        }

        /** Unit-length keys and queries, as the layer's L2 norm hands them over. */
        static float[] unitRows(Random random, int rows) {
            float[] a = gaussian(random, rows * D);
            for (int r = 0; r < rows; r++) {
                double n = 0;
                for (int i = 0; i < D; i++) n += a[r * D + i] * a[r * D + i];
                for (int i = 0; i < D; i++) a[r * D + i] /= (float) Math.sqrt(n);
            }
            return a;
        }

        Inputs slice(int start, int n) {
            return new Inputs(range(q, start, n, K_HEADS * D), range(k, start, n, K_HEADS * D),
                    range(v, start, n, HEADS * D), range(g, start, n, HEADS), range(beta, start, n, HEADS));
        }

        private static float[] range(float[] a, int start, int n, int width) {
            return java.util.Arrays.copyOfRange(a, start * width, (start + n) * width);
        }
    }
}
