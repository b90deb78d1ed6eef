package dev.kvasir.model;

import dev.kvasir.cache.KvCache;
import dev.kvasir.cache.Scoring;

/**
 * Attention for a decode batch: token {@code t} of the batch is the next token of its own sequence,
 * so it appends to and attends over {@code caches[t]} alone. A cache takes whole token-major
 * buffers, so each token's rows of Q/K/V are copied out and its output row copied back; the copies
 * are tiny next to the attention itself.
 */
final class DecodeAttention {
    private final int heads;
    private final int queryDim;
    private final int kvDim;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] out;

    DecodeAttention(ModelConfig config) {
        this.heads = config.headCount();
        this.queryDim = config.queryDim();
        this.kvDim = config.kvDim();
        this.q = new float[queryDim];
        this.k = new float[kvDim];
        this.v = new float[kvDim];
        this.out = new float[queryDim];
    }

    /** One layer: token t's K/V into caches[t], its attention output into row t of {@code s.att}. */
    void run(int layer, KvCache[] caches, Scoring scoring, Scratch s) {
        for (int t = 0; t < caches.length; t++) {
            System.arraycopy(s.k, t * kvDim, k, 0, kvDim);
            System.arraycopy(s.v, t * kvDim, v, 0, kvDim);
            System.arraycopy(s.q, t * queryDim, q, 0, queryDim);
            caches[t].append(layer, k, v, 1);
            caches[t].attend(layer, q, 1, heads, scoring, out);
            System.arraycopy(out, 0, s.att, t * queryDim, queryDim);
        }
    }
}
