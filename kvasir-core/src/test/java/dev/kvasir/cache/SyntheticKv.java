package dev.kvasir.cache;

/**
 * K/V rows that are a pure function of (layer, K or V, position, element), so any process can
 * rebuild the exact content of an uninterrupted run; attention is skipped (append + commit only).
 */
final class SyntheticKv {
    private SyntheticKv() {
    }

    static float value(long seed, int layer, int kv, int pos, int i) {
        long z = seed ^ (layer * 0x9E3779B97F4A7C15L) ^ ((long) kv << 61) ^ ((long) pos << 20) ^ i;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (float) ((z >>> 40) * 0x1.0p-24 * 8 - 4);
    }

    static int token(int pos) {
        return (pos * 7919 + 3) % 32000;
    }

    static int[] tokens(int from, int to) {
        int[] ids = new int[to - from];
        for (int p = from; p < to; p++) {
            ids[p - from] = token(p);
        }
        return ids;
    }

    /** Appends and commits positions {@code [from, to)} in batches of {@code batch}. */
    static void fill(KvCache cache, long seed, int from, int to, int batch) {
        int kvDim = cache.layout().kvDim();
        for (int pos = from; pos < to; pos += batch) {
            int n = Math.min(batch, to - pos);
            for (int l = 0; l < cache.layout().layers(); l++) {
                float[] k = new float[n * kvDim];
                float[] v = new float[n * kvDim];
                for (int t = 0; t < n; t++) {
                    for (int i = 0; i < kvDim; i++) {
                        k[t * kvDim + i] = value(seed, l, 0, pos + t, i);
                        v[t * kvDim + i] = value(seed, l, 1, pos + t, i);
                    }
                }
                cache.append(l, k, v, n);
            }
            cache.commit(n);
        }
    }

    /** Fills a prompt cache and records the synthetic token ids. */
    static void fill(PromptCache cache, long seed, int to, int batch) {
        int from = cache.size();
        fill(cache.cache(), seed, from, to, batch);
        cache.accepted(tokens(from, to));
    }
}
