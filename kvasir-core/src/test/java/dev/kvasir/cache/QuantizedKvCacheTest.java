package dev.kvasir.cache;

import static dev.kvasir.cache.FullKvCacheTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Quantized caches: attention is exact over the dequantized values, each element is within half a
 * quantization step of its input, and attention output is within the bound that implies.
 */
class QuantizedKvCacheTest {
    private static final int T = 300;

    @ParameterizedTest
    @CsvSource({"8, 32, 0", "8, 64, 100", "4, 32, 0", "4, 64, 260"})
    void attentionMatchesOracleAndErrorBound(int bits, int groupSize, int fullTokens) {
        KvFixture f = new KvFixture(new KvLayout(2, 2, 32), 4, T, bits * 100L + groupSize);
        QuantizedKvCache cache = new QuantizedKvCache(f.layout,
                new QuantizedKvCache.Settings(bits, groupSize, fullTokens, GgmlType.F32));
        float[][] out = f.run(cache, 0, T, 3, 200, 1, 77);
        int kvDim = f.layout.kvDim();
        for (int l = 0; l < f.layout.layers(); l++) {
            float[] kq = roundTrip(f.k[l], kvDim, bits, groupSize);
            float[] vq = roundTrip(f.v[l], kvDim, bits, groupSize);
            System.arraycopy(f.k[l], 0, kq, 0, fullTokens * kvDim);
            System.arraycopy(f.v[l], 0, vq, 0, fullTokens * kvDim);
            assertWithinHalfStep(f.k[l], kq, fullTokens * kvDim, groupSize, bits);
            assertWithinHalfStep(f.v[l], vq, fullTokens * kvDim, groupSize, bits);
            float[] exact = AttentionOracle.attend(f.layout, kq, vq, f.q[l], T, f.heads, 0, 0, Integer.MAX_VALUE, x -> x);
            assertClose(out[l], exact, 2e-5);
            float[] f32 = AttentionOracle.attend(f.layout, f.k[l], f.v[l], f.q[l], T, f.heads, 0, 0, Integer.MAX_VALUE, x -> x);
            assertWithinAttentionBound(f, l, kq, vq, out[l], f32);
        }
    }

    private static float[] roundTrip(float[] x, int width, int bits, int groupSize) {
        QuantRows rows = new QuantRows(width, bits, groupSize);
        int n = x.length / width;
        rows.write(0, x, 0, n);
        float[] y = new float[x.length];
        rows.read(0, n, y, 0);
        return y;
    }

    /** |x - x'| <= (max - min) / (2^bits - 1) / 2 per group, plus F32 rounding. */
    private static void assertWithinHalfStep(float[] x, float[] y, int from, int g, int bits) {
        for (int s = from; s < x.length; s += g) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int i = s; i < s + g; i++) {
                min = Math.min(min, x[i]);
                max = Math.max(max, x[i]);
            }
            double bound = (max - min) / ((1 << bits) - 1) / 2 * (1 + 1e-5) + 1e-6;
            for (int i = s; i < s + g; i++) {
                assertThat((double) Math.abs(x[i] - y[i])).isLessThanOrEqualTo(bound);
            }
        }
    }

    /**
     * With score errors at most {@code ds = |q|₁ · max|Δk| / sqrt(d)}, every softmax weight moves by a
     * factor within {@code e^(±2ds)}, so the output moves by at most {@code max|Δv| + (e^(2ds) - 1) · max|v|}.
     */
    private static void assertWithinAttentionBound(KvFixture f, int l, float[] kq, float[] vq, float[] out, float[] f32) {
        int hd = f.layout.headDim();
        double dk = maxAbsDiff(f.k[l], kq);
        double dv = maxAbsDiff(f.v[l], vq);
        double vmax = 0;
        for (float x : f.v[l]) vmax = Math.max(vmax, Math.abs(x));
        double worst = 0;
        for (int r = 0; r < T * f.heads; r++) {
            double q1 = 0;
            for (int d = 0; d < hd; d++) q1 += Math.abs(f.q[l][r * hd + d]);
            double ds = q1 * dk / Math.sqrt(hd);
            double bound = dv + Math.expm1(2 * ds) * vmax + 1e-5;
            for (int d = 0; d < hd; d++) {
                double err = Math.abs(out[r * hd + d] - f32[r * hd + d]);
                assertThat(err).isLessThanOrEqualTo(bound);
                worst = Math.max(worst, err);
            }
        }
        assertThat(worst).isGreaterThan(0); // quantization really happened
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test
    void constantGroupsAreExactAndMemoryShrinks() {
        KvLayout layout = new KvLayout(1, 2, 32);
        QuantizedKvCache q4 = new QuantizedKvCache(layout, QuantizedKvCache.Settings.of(4, 64));
        float[] kv = new float[64];
        java.util.Arrays.fill(kv, 1.5f);
        q4.append(0, kv, kv, 1);
        float[] out = new float[64];
        q4.attend(0, new float[64], 1, 2, out);
        q4.commit(1);
        assertThat(out).containsOnly(1.5f);
        // 4-bit: 32 bytes of codes + 8 bytes of scale/bias per 64-element row, vs 128 in F16
        assertThat(q4.bytes()).isEqualTo(2L * 256 * 40);
        assertThat(new FullKvCache(layout).bytes()).isZero();
    }

    @Test
    void rejectsGroupsThatDoNotDivideTheRow() {
        KvLayout layout = new KvLayout(1, 1, 8);
        assertThatThrownBy(() -> new QuantizedKvCache(layout, QuantizedKvCache.Settings.of(8, 64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("divide");
        assertThatThrownBy(() -> new QuantizedKvCache(layout, QuantizedKvCache.Settings.of(3, 8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 or 8");
    }
}
