package dev.kvasir.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ggml's F16 primitives: where they round, and that the SIMD-shaped dot sums what a plain dot sums. */
class GgmlF16Test {

    @Test
    void madRoundsTheAccumulatorToF16AfterEveryStep() {
        float[] y = {1f};
        float[] x = {1f};
        GgmlF16.mad(y, 0, x, 0, 1, 1e-4f); // 1 + 1e-4 is below half an F16 ulp of 1 (2^-11): stays 1
        assertThat(y[0]).isEqualTo(1f);
        GgmlF16.mad(y, 0, x, 0, 1, 7e-4f); // above half an ulp: rounds up to 1 + 2^-10
        assertThat(y[0]).isEqualTo(1f + 0x1p-10f);
    }

    @Test
    void scaleRoundsToF16() {
        float[] y = {1f};
        GgmlF16.scale(y, 0, 1, 1f / 3);
        assertThat(y[0]).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(1f / 3)));
    }

    @Test
    void dotAgreesWithADoubleDotForShortAndLongRows() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int n : new int[] {4, 8, 31, 32, 64, 100, 128}) {
            float[] x = new float[n + 3];
            float[] y = new float[n];
            double exact = 0;
            for (int i = 0; i < n; i++) {
                x[i + 3] = GgmlF16.round((float) rnd.nextDouble(-1, 1));
                y[i] = GgmlF16.round((float) rnd.nextDouble(-1, 1));
                exact += (double) x[i + 3] * y[i];
            }
            assertThat((double) GgmlF16.dot(x, 3, y, n, new float[GgmlF16.STEP])).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-5));
        }
    }
}
