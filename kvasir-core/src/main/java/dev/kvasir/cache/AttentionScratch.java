package dev.kvasir.cache;

/**
 * Per-thread buffers of one attention row over one block: the query in the dot's precision, the
 * block's scores and the online softmax's per-position factors. Rows run on pool threads, thousands
 * of times per decoded token, so they reuse these instead of allocating.
 */
final class AttentionScratch {
    private static final ThreadLocal<AttentionScratch> CURRENT = ThreadLocal.withInitial(() -> new AttentionScratch(0));

    final float[] q;
    final double[] qWide;
    final double[] dots = new double[Attention.BLOCK];
    final float[] floatDots = new float[Attention.BLOCK];
    /** Per block position: the factor of the rescale (1 when the maximum did not move) and V's weight. */
    final float[] ms = new float[Attention.BLOCK];
    final float[] vs = new float[Attention.BLOCK];

    private AttentionScratch(int headDim) {
        this.q = new float[headDim];
        this.qWide = new double[headDim];
    }

    /** This thread's buffers, for head dims up to {@code headDim}. */
    static AttentionScratch get(int headDim) {
        AttentionScratch s = CURRENT.get();
        if (s.q.length < headDim) {
            s = new AttentionScratch(headDim);
            CURRENT.set(s);
        }
        return s;
    }
}
