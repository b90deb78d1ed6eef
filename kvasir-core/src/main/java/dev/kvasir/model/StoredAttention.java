package dev.kvasir.model;

import dev.kvasir.cache.KvCache;
import dev.kvasir.cache.Scoring;

/**
 * Attention for tokens re-evaluated at positions the cache already holds (a selective recompute of
 * a composed prompt): each run of consecutive positions overwrites its stored K/V and attends with
 * {@link KvCache#attendAt}, so a token sees everything before it, recomputed or cached, and a run
 * covering a whole span computes exactly what a prefill of that span computes.
 */
final class StoredAttention {
    private final int heads;
    private final int queryDim;
    private final int kvDim;

    StoredAttention(ModelConfig config) {
        this.heads = config.headCount();
        this.queryDim = config.queryDim();
        this.kvDim = config.kvDim();
    }

    /** Layer {@code layer} for the {@code positions.length} tokens of {@code s} (ascending positions). */
    void run(int layer, KvCache cache, int[] positions, Scoring scoring, Scratch s) {
        int n = positions.length;
        for (int t = 0; t < n; ) {
            int end = t + 1;
            while (end < n && positions[end] == positions[end - 1] + 1) {
                end++;
            }
            int len = end - t;
            cache.overwrite(layer, positions[t], slice(s.k, t, len, kvDim), slice(s.v, t, len, kvDim), len);
            t = end;
        }
        for (int t = 0; t < n; ) {
            int end = t + 1;
            while (end < n && positions[end] == positions[end - 1] + 1) {
                end++;
            }
            int len = end - t;
            float[] out = new float[len * queryDim];
            cache.attendAt(layer, positions[t], slice(s.q, t, len, queryDim), len, heads, scoring, out);
            System.arraycopy(out, 0, s.att, t * queryDim, len * queryDim);
            t = end;
        }
    }

    private static float[] slice(float[] a, int row, int rows, int width) {
        if (row == 0) {
            return a; // the cache reads only the first rows·width floats
        }
        float[] r = new float[rows * width];
        System.arraycopy(a, row * width, r, 0, rows * width);
        return r;
    }
}
