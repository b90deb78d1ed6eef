package dev.kvasir.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Differential tests of {@link VectorOps} against {@link ScalarOps}, on lengths around multiples of the
 * vector length and at non-zero offsets. Elementwise ops without reductions (axpy, scale, add, mul)
 * must match the oracle exactly up to FMA's single rounding; reductions get the summation bound
 * n * 2^-23 * sum|terms|; exp-based ops (softmax, silu) get a few ulps of relative error, the accuracy
 * the JDK documents for the vector EXP operator (SVML-backed on x86).
 */
class VectorOpsTest {
    private final Random rnd = new Random(1234);

    private int[] lengths() {
        int l = Kernels.L;
        return new int[] {0, 1, 3, l - 1, l, l + 1, 2 * l - 1, 2 * l, 2 * l + 1, 5 * l + 3, 64, 100, 257, 1000};
    }

    @Test
    void dotMatchesOracle() {
        for (int n : lengths()) {
            float[] a = TestData.gaussian(n + 5, rnd);
            float[] b = TestData.gaussian(n + 2, rnd);
            double magnitude = 0;
            for (int i = 0; i < n; i++) {
                magnitude += Math.abs((double) a[5 + i] * b[2 + i]);
            }
            assertThat(VectorOps.dot(a, 5, b, 2, n)).as("n=%d", n)
                    .isCloseTo(ScalarOps.dot(a, 5, b, 2, n), within((float) (n * 0x1p-23 * magnitude) + 1e-30f));
        }
    }

    @Test
    void elementwiseOpsMatchOracle() {
        for (int n : lengths()) {
            float[] x = TestData.gaussian(n + 3, rnd);
            float[] y = TestData.gaussian(n + 1, rnd);
            float a = (float) rnd.nextGaussian();

            float[] got = y.clone();
            float[] want = y.clone();
            VectorOps.axpy(a, x, 3, got, 1, n);
            ScalarOps.axpy(a, x, 3, want, 1, n);
            // FMA rounds once, the oracle twice: they differ by at most one rounding of each term.
            for (int i = 0; i < n; i++) {
                double tol = 0x1p-23 * (Math.abs(y[1 + i]) + Math.abs(a * x[3 + i]));
                assertThat((double) got[1 + i]).as("axpy n=%d [%d]", n, i).isCloseTo(want[1 + i], within(tol));
            }
            assertThat(got[0]).isEqualTo(y[0]);

            got = y.clone();
            want = y.clone();
            VectorOps.scale(got, 1, n, a);
            ScalarOps.scale(want, 1, n, a);
            assertThat(got).as("scale n=%d", n).containsExactly(want);

            got = y.clone();
            want = y.clone();
            VectorOps.add(got, 1, x, 3, n);
            ScalarOps.add(want, 1, x, 3, n);
            assertThat(got).as("add n=%d", n).containsExactly(want);

            got = y.clone();
            want = y.clone();
            VectorOps.mul(got, 1, x, 3, n);
            ScalarOps.mul(want, 1, x, 3, n);
            assertThat(got).as("mul n=%d", n).containsExactly(want);
        }
    }

    @Test
    void rmsnormMatchesOracle() {
        for (int n : lengths()) {
            if (n == 0) {
                continue;
            }
            float[] x = TestData.gaussian(n + 2, rnd);
            float[] w = TestData.gaussian(n, rnd);
            float[] got = new float[n + 1];
            float[] want = new float[n + 1];
            VectorOps.rmsnorm(got, 1, x, 2, w, n, 1e-5f);
            ScalarOps.rmsnorm(want, 1, x, 2, w, n, 1e-5f);
            assertElementsClose(got, want, n * 0x1p-23 + 0x1p-21, "rmsnorm n=" + n);
            // In place, as a model applies it to its residual stream copy.
            float[] inPlace = x.clone();
            VectorOps.rmsnorm(inPlace, 2, inPlace, 2, w, n, 1e-5f);
            for (int i = 0; i < n; i++) {
                assertThat(inPlace[2 + i]).isEqualTo(got[1 + i]);
            }
        }
    }

    @Test
    void softmaxMatchesOracleAndSurvivesHugeLogits() {
        for (int n : lengths()) {
            if (n == 0) {
                continue;
            }
            float[] x = TestData.gaussian(n + 1, rnd);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 8; // a spread like real attention scores
            }
            x[1 + rnd.nextInt(n)] = 1000f; // exp(1000) overflows unless the max is subtracted
            float[] got = x.clone();
            float[] want = x.clone();
            VectorOps.softmax(got, 1, n);
            ScalarOps.softmax(want, 1, n);
            assertElementsClose(got, want, 1e-5, "softmax n=" + n);
            assertThat(got[0]).isEqualTo(x[0]);
            double sum = 0;
            for (int i = 1; i <= n; i++) {
                sum += got[i];
            }
            assertThat(sum).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void siluMatchesOracle() {
        for (int n : lengths()) {
            float[] x = TestData.gaussian(n + 1, rnd);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 10; // reach the saturated tails, where exp(-x) overflows to infinity
            }
            float[] got = x.clone();
            float[] want = x.clone();
            VectorOps.silu(got, 1, n);
            ScalarOps.silu(want, 1, n);
            assertElementsClose(got, want, 1e-5, "silu n=" + n);
        }
    }

    @Test
    void maxFindsTheLargest() {
        for (int n : lengths()) {
            float[] x = TestData.gaussian(n + 1, rnd);
            float want = Float.NEGATIVE_INFINITY;
            for (int i = 1; i <= n; i++) {
                want = Math.max(want, x[i]);
            }
            assertThat(VectorOps.max(x, 1, n)).as("n=%d", n).isEqualTo(want);
        }
    }

    /** Relative error bound {@code rel} on each element (absolute near zero). */
    private static void assertElementsClose(float[] got, float[] want, double rel, String what) {
        for (int i = 0; i < got.length; i++) {
            double tol = rel * Math.max(Math.abs(want[i]), 1e-3);
            assertThat((double) got[i]).as("%s [%d]", what, i).isCloseTo(want[i], within(tol));
        }
    }
}
