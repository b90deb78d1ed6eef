package dev.kvasir.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.tensor.GgmlType;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class FullKvCacheTest {
    private static final int T = 600; // crosses chunk (256) and attention block (256) boundaries
    /**
     * Attention over an F16 cache rounds as ggml does: the query to F16 (scores move by about
     * |q|·|k|·2^-11) and the running V sum to F16 after every position (2^-11 relative per step,
     * accumulating over the few hundred positions here). With |q|,|k|,|v| of order 1 the result stays
     * within 4e-3 of the exact attention over the same F16 K/V; a wrong softmax or mask is off by far more.
     */
    static final double F16_ARITHMETIC_TOLERANCE = 4e-3;

    @Test
    void f32AttentionMatchesOracle() {
        checkAgainstOracle(GgmlType.F32, x -> x, 2e-5);
    }

    @Test
    void f16AttentionMatchesOracleOnRoundedValues() {
        checkAgainstOracle(GgmlType.F16, AttentionOracle::f16, F16_ARITHMETIC_TOLERANCE);
    }

    @Test
    void defaultIsF16() {
        assertThat(new FullKvCache(new KvLayout(1, 1, 4)).type()).isEqualTo(GgmlType.F16);
    }

    private void checkAgainstOracle(GgmlType type, DoubleUnaryOperator round, double tol) {
        KvFixture f = KvFixture.small(T, 1);
        FullKvCache cache = new FullKvCache(f.layout, type);
        int[] batches = {1, 7, 130, 3, 300, 1, 64};
        int pos = 0;
        for (int b = 0; pos < T; b++) {
            int n = Math.min(batches[b % batches.length], T - pos);
            float[][] out = f.step(cache, pos, n);
            for (int l = 0; l < f.layout.layers(); l++) {
                float[] expected = AttentionOracle.attend(f.layout, f.k[l], f.v[l], f.queries(l, pos, n), n, f.heads,
                        pos, 0, Integer.MAX_VALUE, round);
                assertClose(out[l], expected, tol);
            }
            pos += n;
        }
        assertThat(cache.size()).isEqualTo(T);
        long perChunk = 256L * f.layout.kvDim() * (type == GgmlType.F32 ? 4 : 2);
        assertThat(cache.bytes()).isEqualTo(2L * f.layout.layers() * 3 * perChunk);
    }

    static void assertClose(float[] actual, float[] expected, double tol) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > tol) {
                throw new AssertionError("element " + i + ": " + actual[i] + " vs oracle " + expected[i]);
            }
        }
    }

    @Test
    void batchSplitDoesNotChangeBits() {
        KvFixture f = KvFixture.small(T, 2);
        float[][] once = f.run(new FullKvCache(f.layout), 0, T, T);
        float[][] pieces = f.run(new FullKvCache(f.layout), 0, T, 5, 250, 1, 99);
        for (int l = 0; l < f.layout.layers(); l++) {
            assertThat(pieces[l]).containsExactly(once[l]);
        }
    }

    @Test
    void threadCountDoesNotChangeBits() {
        KvFixture f = new KvFixture(new KvLayout(1, 2, 64), 8, 300, 6); // wide heads: rows really run in parallel
        int threads = dev.kvasir.tensor.Parallel.threads();
        try {
            dev.kvasir.tensor.Parallel.setThreads(1);
            float[][] serial = f.run(new FullKvCache(f.layout), 0, 300, 300);
            dev.kvasir.tensor.Parallel.setThreads(3);
            float[][] parallel = f.run(new FullKvCache(f.layout), 0, 300, 300);
            assertThat(parallel[0]).containsExactly(serial[0]);
        } finally {
            dev.kvasir.tensor.Parallel.setThreads(threads);
        }
    }

    @Test
    void trimThenReextendReproducesOutputs() {
        KvFixture f = KvFixture.small(T, 3);
        FullKvCache cache = new FullKvCache(f.layout);
        float[][] original = f.run(cache, 0, T, 100);
        assertThat(cache.canTrim(T)).isTrue();
        assertThat(cache.canTrim(T + 1)).isFalse();
        assertThat(cache.trim(350)).isEqualTo(350);
        assertThat(cache.size()).isEqualTo(T - 350);
        float[][] again = f.run(cache, T - 350, T, 350);
        int qDim = f.heads * f.layout.headDim();
        for (int l = 0; l < f.layout.layers(); l++) {
            float[] tail = java.util.Arrays.copyOfRange(original[l], (T - 350) * qDim, T * qDim);
            assertClose(again[l], tail, 0); // same values: rounding identical, only split differs
        }
    }

    @Test
    void copyIsIndependentAndSharesChunks() {
        KvFixture f = KvFixture.small(T, 4);
        KvFixture other = KvFixture.small(T, 5);
        FullKvCache parent = new FullKvCache(f.layout, GgmlType.F32);
        f.run(parent, 0, 300, 300);
        FullKvCache fork = parent.copy();
        float[][] parentNext = f.run(parent.copy(), 300, 400, 100);
        // diverge: the fork overwrites the partly filled chunk and trims into a shared full one
        fork.trim(50);
        other.run(fork, 250, 400, 150);
        float[][] parentAfter = f.run(parent, 300, 400, 100);
        for (int l = 0; l < f.layout.layers(); l++) {
            assertThat(parentAfter[l]).containsExactly(parentNext[l]);
        }
        assertThat(fork.size()).isEqualTo(400);
    }

    @Test
    void misuseIsRejected() {
        FullKvCache cache = new FullKvCache(new KvLayout(2, 1, 4));
        float[] kv = new float[4];
        assertThatThrownBy(() -> cache.attend(0, new float[4], 1, 1, new float[4]))
                .isInstanceOf(IllegalStateException.class);
        cache.append(0, kv, kv, 1);
        assertThatThrownBy(() -> cache.commit(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cache.append(2, kv, kv, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> cache.attend(0, new float[2], 1, 1, new float[4]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FullKvCache(new KvLayout(1, 1, 4), GgmlType.Q8_0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
