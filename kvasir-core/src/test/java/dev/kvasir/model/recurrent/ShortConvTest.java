package dev.kvasir.model.recurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ShortConvTest {

    @Test
    void weighsTheNewestInputWithTheLastKernelTap() {
        ShortConv conv = new ShortConv(1, 3, new float[] {1, 10, 100});
        float[] out = new float[3];
        conv.apply(new float[] {1, 2, 3}, 3, out, ShortConvState.zeros(1, 3));
        assertThat(out).containsExactly(100, 210, 321);
    }

    @Test
    void chunksCarriedThroughTheStateEqualTheDefinitionOverTheWholeSequence() {
        Random random = new Random(13);
        int channels = 7, kernel = 4, tokens = 23;
        float[] w = gaussian(random, channels * kernel);
        float[] x = gaussian(random, tokens * channels);
        float[] expected = definition(w, x, channels, kernel, tokens);
        ShortConv conv = new ShortConv(channels, kernel, w);

        for (int[] chunks : new int[][] {{23}, {1, 1, 1, 20}, {5, 9, 9}, {2, 1, 3, 17}}) {
            ShortConvState state = ShortConvState.zeros(channels, kernel);
            float[] out = new float[tokens * channels];
            int start = 0;
            for (int n : chunks) {
                float[] in = new float[n * channels];
                System.arraycopy(x, start * channels, in, 0, in.length);
                float[] part = new float[in.length];
                conv.apply(in, n, part, state);
                System.arraycopy(part, 0, out, start * channels, part.length);
                start += n;
            }
            assertThat(out).as("chunks %s", java.util.Arrays.toString(chunks)).containsExactly(expected);
            // The state is the last kernel - 1 inputs of each channel, oldest first.
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < kernel - 1; i++) {
                    assertThat(state.history()[c * (kernel - 1) + i])
                            .isEqualTo(x[(tokens - (kernel - 1) + i) * channels + c]);
                }
            }
        }
    }

    @Test
    void refusesAStateOfAnotherShape() {
        ShortConv conv = new ShortConv(2, 4, new float[8]);
        assertThatThrownBy(() -> conv.apply(new float[2], 1, new float[2], ShortConvState.zeros(2, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel 4");
    }

    /** out[t][c] = sum_i w[c][i] * x[t - (kernel - 1) + i][c], zero before the first token. */
    private static float[] definition(float[] w, float[] x, int channels, int kernel, int tokens) {
        float[] out = new float[tokens * channels];
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < channels; c++) {
                float sum = 0;
                for (int i = 0; i < kernel; i++) {
                    int src = t - (kernel - 1) + i;
                    sum += (src < 0 ? 0 : x[src * channels + c]) * w[c * kernel + i];
                }
                out[t * channels + c] = sum;
            }
        }
        return out;
    }

    static float[] gaussian(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
