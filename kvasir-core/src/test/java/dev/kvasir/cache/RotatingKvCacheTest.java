package dev.kvasir.cache;

import static dev.kvasir.cache.FullKvCacheTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.tensor.GgmlType;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class RotatingKvCacheTest {
    private static final int T = 700;

    @Test
    void attendsOnlyOverPinnedAndWindowF32() {
        check(GgmlType.F32, 300, 4, x -> x, 1, 7, 350, 3, 1, 90);
    }

    @Test
    void attendsOnlyOverPinnedAndWindowF16() {
        check(GgmlType.F16, 100, 0, AttentionOracle::f16, 5, 1, 130, 1, 64);
    }

    @Test
    void batchLongerThanWindowSeesPerQueryWindows() {
        check(GgmlType.F32, 40, 3, x -> x, 500, 200);
    }

    private void check(GgmlType type, int maxSize, int keep, DoubleUnaryOperator round, int... batches) {
        KvFixture f = KvFixture.small(T, maxSize + keep);
        RotatingKvCache cache = new RotatingKvCache(f.layout, maxSize, keep, type);
        int pos = 0;
        for (int b = 0; pos < T; b++) {
            int n = Math.min(batches[b % batches.length], T - pos);
            float[][] out = f.step(cache, pos, n);
            for (int l = 0; l < f.layout.layers(); l++) {
                float[] expected = AttentionOracle.attend(f.layout, f.k[l], f.v[l], f.queries(l, pos, n), n, f.heads,
                        pos, keep, maxSize - keep, round);
                assertClose(out[l], expected, type == GgmlType.F16 ? FullKvCacheTest.F16_ARITHMETIC_TOLERANCE : 2e-5);
            }
            pos += n;
        }
        assertThat(cache.size()).isEqualTo(T);
        assertThat(cache.windowStart()).isEqualTo(T - (maxSize - keep));
        long perChunk = 256L * f.layout.kvDim() * (type == GgmlType.F32 ? 4 : 2);
        assertThat(cache.bytes()).isEqualTo(2L * f.layout.layers() * ((maxSize + 255) / 256) * perChunk);
    }

    @Test
    void outputsDoNotDependOnBatchSplit() {
        KvFixture f = KvFixture.small(T, 9);
        float[][] once = f.run(new RotatingKvCache(f.layout, 300, 2), 0, T, T);
        float[][] pieces = f.run(new RotatingKvCache(f.layout, 300, 2), 0, T, 1, 299, 17, 256);
        for (int l = 0; l < f.layout.layers(); l++) {
            assertThat(pieces[l]).containsExactly(once[l]);
        }
    }

    @Test
    void trimIsExactUntilSomethingIsEvicted() {
        KvFixture f = KvFixture.small(T, 10);
        RotatingKvCache cache = new RotatingKvCache(f.layout, 300, 2);
        float[][] original = f.run(cache, 0, 280, 40);
        assertThat(cache.canTrim(280)).isTrue();
        assertThat(cache.trim(80)).isEqualTo(80);
        float[][] again = f.run(cache, 200, 280, 80);
        int qDim = f.heads * f.layout.headDim();
        for (int l = 0; l < f.layout.layers(); l++) {
            assertClose(again[l], java.util.Arrays.copyOfRange(original[l], 200 * qDim, 280 * qDim), 0);
        }
        f.run(cache, 280, 301, 21); // 301 > maxSize: position 2 is gone
        assertThat(cache.canTrim(1)).isFalse();
        assertThat(cache.canTrim(0)).isTrue();
        assertThat(cache.trim(1)).isZero();
        assertThat(cache.size()).isEqualTo(301);
    }

    @Test
    void forkDivergesWithoutTouchingParent() {
        KvFixture f = KvFixture.small(T, 11);
        KvFixture other = KvFixture.small(T, 12);
        RotatingKvCache parent = new RotatingKvCache(f.layout, 200, 1, GgmlType.F32);
        f.run(parent, 0, 450, 450);
        RotatingKvCache fork = parent.copy();
        other.run(fork, 450, 700, 60);
        float[][] expected = f.run(new RotatingKvCache(f.layout, 200, 1, GgmlType.F32), 0, 700, 450, 250);
        float[][] actual = f.run(parent, 450, 700, 250);
        int qDim = f.heads * f.layout.headDim();
        for (int l = 0; l < f.layout.layers(); l++) {
            assertThat(actual[l]).containsExactly(java.util.Arrays.copyOfRange(expected[l], 450 * qDim, 700 * qDim));
        }
    }

    @Test
    void rejectsBadSizes() {
        KvLayout layout = new KvLayout(1, 1, 4);
        assertThatThrownBy(() -> new RotatingKvCache(layout, 4, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RotatingKvCache(layout, 4, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
