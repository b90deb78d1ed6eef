package dev.kvasir.cache;

import java.util.Arrays;
import java.util.Random;

/** Deterministic random K/V/Q for {@code positions} tokens, and a driver running forward steps on a cache. */
final class KvFixture {
    final KvLayout layout;
    final int heads;
    final int positions;
    final float[][] k;
    final float[][] v;
    final float[][] q;

    KvFixture(KvLayout layout, int heads, int positions, long seed) {
        this.layout = layout;
        this.heads = heads;
        this.positions = positions;
        Random random = new Random(seed);
        k = new float[layout.layers()][];
        v = new float[layout.layers()][];
        q = new float[layout.layers()][];
        for (int l = 0; l < layout.layers(); l++) {
            k[l] = gaussian(random, positions * layout.kvDim());
            v[l] = gaussian(random, positions * layout.kvDim());
            q[l] = gaussian(random, positions * heads * layout.headDim());
        }
    }

    static KvFixture small(int positions, long seed) {
        return new KvFixture(new KvLayout(2, 2, 8), 4, positions, seed);
    }

    private static float[] gaussian(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    /** Runs positions {@code [from, from+n)} through the cache; returns each layer's attention output. */
    float[][] step(KvCache cache, int from, int n) {
        int kvDim = layout.kvDim();
        int qDim = heads * layout.headDim();
        float[][] out = new float[layout.layers()][];
        for (int l = 0; l < layout.layers(); l++) {
            cache.append(l, Arrays.copyOfRange(k[l], from * kvDim, (from + n) * kvDim),
                    Arrays.copyOfRange(v[l], from * kvDim, (from + n) * kvDim), n);
            out[l] = new float[n * qDim];
            cache.attend(l, Arrays.copyOfRange(q[l], from * qDim, (from + n) * qDim), n, heads, out[l]);
        }
        cache.commit(n);
        return out;
    }

    /** Runs positions {@code [from, to)} in batches of the given sizes (cycled); returns outputs concatenated per layer. */
    float[][] run(KvCache cache, int from, int to, int... batches) {
        int qDim = heads * layout.headDim();
        float[][] all = new float[layout.layers()][(to - from) * qDim];
        int pos = from;
        for (int b = 0; pos < to; b++) {
            int n = Math.min(batches[b % batches.length], to - pos);
            float[][] out = step(cache, pos, n);
            for (int l = 0; l < layout.layers(); l++) {
                System.arraycopy(out[l], 0, all[l], (pos - from) * qDim, n * qDim);
            }
            pos += n;
        }
        return all;
    }

    float[] queries(int layer, int from, int n) {
        int qDim = heads * layout.headDim();
        return Arrays.copyOfRange(q[layer], from * qDim, (from + n) * qDim);
    }
}
