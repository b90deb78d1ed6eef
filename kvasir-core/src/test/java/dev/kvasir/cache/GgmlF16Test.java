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

    @Test
    void vectorRoundEqualsScalarRoundAtEveryBoundary() {
        // Each F16 value, the midpoints to its neighbours and one float either side of them: ties to
        // even, subnormals, the overflow threshold 65520, infinities, plus random bit patterns.
        float[] xs = new float[(1 << 16) * 6 + (1 << 16)];
        int n = 0;
        for (int h = 0; h < 1 << 16; h++) {
            float f = Float.float16ToFloat((short) h);
            float next = Float.float16ToFloat((short) (h + 1));
            if (Float.isNaN(f) || Float.isNaN(next)) {
                continue;
            }
            float mid = (float) (((double) f + next) / 2);
            for (float x : new float[] {f, Math.nextDown(f), Math.nextUp(f), mid, Math.nextDown(mid), Math.nextUp(mid)}) {
                xs[n++] = x;
            }
        }
        SplittableRandom rnd = new SplittableRandom(3);
        while (n < xs.length) {
            float x = Float.intBitsToFloat(rnd.nextInt());
            xs[n++] = Float.isNaN(x) ? 0f : x;
        }
        int lanes = GgmlF16Vectors.WIDE.length();
        float[] got = new float[lanes];
        for (int i = 0; i + lanes <= n; i += lanes) {
            GgmlF16Vectors.round(jdk.incubator.vector.FloatVector.fromArray(GgmlF16Vectors.WIDE, xs, i)).intoArray(got, 0);
            for (int l = 0; l < lanes; l++) {
                float x = xs[i + l];
                if (Float.floatToRawIntBits(got[l]) != Float.floatToRawIntBits(GgmlF16.round(x))) {
                    throw new AssertionError("round(" + x + ") = " + got[l] + ", scalar " + GgmlF16.round(x));
                }
            }
        }
    }

    @Test
    void vectorDotEqualsScalarDot() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int n = 1; n <= 130; n++) {
            float[] x = new float[n + 5];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                x[i + 5] = GgmlF16.round((float) rnd.nextDouble(-30, 30));
                y[i] = GgmlF16.round((float) rnd.nextDouble(-30, 30));
            }
            assertThat(Float.floatToRawIntBits(GgmlF16Vectors.dot(x, 5, y, n)))
                    .as("n = %d", n).isEqualTo(Float.floatToRawIntBits(GgmlF16.dot(x, 5, y, n, new float[GgmlF16.STEP])));
        }
    }
}
