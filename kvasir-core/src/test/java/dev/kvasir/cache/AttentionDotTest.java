package dev.kvasir.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The deterministic dot against a double-precision scalar oracle, for lengths around the vector width. */
class AttentionDotTest {
    @Test
    void matchesScalarOracle() {
        Random random = new Random(7);
        for (int n = 0; n < 70; n++) {
            float[] a = new float[n + 3];
            float[] b = new float[n + 5];
            for (int i = 0; i < a.length; i++) a[i] = (float) random.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) random.nextGaussian();
            double dot = 0;
            for (int i = 0; i < n; i++) dot += (double) a[3 + i] * b[5 + i];
            assertThat((double) AttentionDot.dot(a, 3, b, 5, n)).isCloseTo(dot, within(1e-5 * (1 + n)));
        }
    }
}
