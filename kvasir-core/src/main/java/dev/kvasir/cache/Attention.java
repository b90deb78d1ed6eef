package dev.kvasir.cache;

import dev.kvasir.tensor.GgmlType;
import dev.kvasir.tensor.Parallel;
import dev.kvasir.tensor.VectorOps;

/**
 * Causal (optionally windowed) scaled dot-product attention with an online softmax over blocks of
 * stored positions, shared by every cache kind.
 *
 * <p>Blocks are aligned to absolute positions ({@link #BLOCK}), never to batch or storage
 * boundaries, so a query's result depends only on its position, its vector and the stored K/V it
 * sees: evaluating a prompt in one batch or in pieces, or after a save/load, gives identical bits.
 * Rows (query token × head) run in parallel on {@link Parallel}; the result does not depend on the
 * thread count. Not thread-safe: each cache owns one instance with its scratch buffers.
 */
final class Attention {
    static final int BLOCK = 256;

    /** Fetches decoded K and V rows of absolute positions {@code [pos, pos+count)} into {@code k[off..]}, {@code v[off..]}. */
    interface Source {
        void fetch(int pos, int count, float[] k, float[] v, int off);
    }

    private final int kvHeads;
    private final int headDim;
    private final int kvDim;
    private final float[] kBlock;
    private final float[] vBlock;
    /** K of the block with positions as SIMD lanes, for head dims shorter than a vector; else null. */
    private final KeyLanes lanes;
    private float[] max = new float[0];
    private float[] sum = new float[0];

    /** Whether K/V are stored as F16: then the arithmetic is ggml's F16 flash attention (see {@link GgmlF16}). */
    private final boolean f16;

    Attention(KvLayout layout, GgmlType storage) {
        this.f16 = storage == GgmlType.F16;
        this.kvHeads = layout.kvHeads();
        this.headDim = layout.headDim();
        this.kvDim = layout.kvDim();
        this.kBlock = new float[BLOCK * kvDim];
        this.vBlock = new float[BLOCK * kvDim];
        this.lanes = KeyLanes.suits(headDim, f16) ? new KeyLanes(layout, f16) : null;
    }

    /**
     * Attention for {@code n} queries at positions {@code pos0 ..}: query position {@code qp} sees
     * stored positions {@code p <= qp} with {@code p < keep} or {@code p > qp - window}.
     */
    void attend(float[] q, int n, int heads, int pos0, int keep, int window, Scoring scoring, Source source, float[] out) {
        checkHeads(heads, q, n, out);
        int rows = n * heads;
        if (max.length < rows) {
            max = new float[rows];
            sum = new float[rows];
        }
        java.util.Arrays.fill(max, 0, rows, Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(sum, 0, rows, 0f);
        java.util.Arrays.fill(out, 0, rows * headDim, 0f);
        int end = pos0 + n;
        int pinnedEnd = Math.min(keep, end);
        int windowStart = Math.max(pinnedEnd, (int) Math.max(0L, (long) pos0 - window + 1));
        for (int b = 0; b < end; b += BLOCK) {
            int bEnd = Math.min(b + BLOCK, end);
            boolean any = fetch(source, b, Math.max(b, 0), Math.min(bEnd, pinnedEnd));
            any |= fetch(source, b, Math.max(b, windowStart), bEnd);
            if (any) {
                accumulate(q, n, heads, pos0, keep, window, scoring, b, bEnd, out);
            }
        }
        for (int r = 0; r < rows; r++) {
            float inv = 1f / sum[r];
            for (int d = 0, o = r * headDim; d < headDim; d++) {
                out[o + d] *= inv;
            }
        }
    }

    private boolean fetch(Source source, int block, int from, int to) {
        if (from >= to) {
            return false;
        }
        source.fetch(from, to - from, kBlock, vBlock, (from - block) * kvDim);
        if (lanes != null) {
            lanes.load(kBlock, from - block, to - block);
        }
        return true;
    }

    private void accumulate(float[] q, int n, int heads, int pos0, int keep, int window, Scoring scoring, int b, int bEnd,
            float[] out) {
        // Rows (query token, head) are independent; a chunk of rows per task keeps tiny models inline.
        int grain = Math.max(1, 32768 / ((bEnd - b) * headDim));
        Parallel.forRange(0, n * heads, grain, (from, to) -> {
            AttentionScratch scratch = AttentionScratch.get(headDim);
            for (int r = from; r < to; r++) {
                row(q, r, heads, pos0 + r / heads, keep, window, scoring, b, bEnd, out, scratch);
            }
        });
    }

    /**
     * Folds block {@code [b, bEnd)} into the running softmax of row {@code r} (query at position {@code qp}),
     * with ggml's CPU flash attention's arithmetic: per position in order, the score, then the online
     * softmax update of the maximum, the sum and the V accumulator. Over an F16 cache it also rounds as
     * ggml does (query rounded to F16, the weighted V sum kept in F16), so the near-ties of greedy
     * decoding break the way llama.cpp breaks them. The scores of a block are computed first (in SIMD
     * lanes), and each V column runs through all positions at once: neither changes any operation.
     */
    private void row(float[] q, int r, int heads, int qp, int keep, int window, Scoring scoring, int b, int bEnd,
            float[] out, AttentionScratch s) {
        int visEnd = Math.min(bEnd, qp + 1) - b;
        int pinEnd = Math.max(0, Math.min(visEnd + b, keep) - b);
        int winStart = Math.max(pinEnd, Math.max(Math.max(b, keep), (int) Math.max(0L, (long) qp - window + 1)) - b);
        if (pinEnd == 0 && winStart >= visEnd) {
            return; // visible: block positions [0, pinEnd) and [winStart, visEnd)
        }
        int qOff = r * headDim;
        int g = (r % heads) / (heads / kvHeads);
        for (int d = 0; d < headDim; d++) {
            s.q[d] = f16 ? GgmlF16.round(q[qOff + d]) : q[qOff + d];
            s.qWide[d] = s.q[d];
        }
        scores(g, 0, pinEnd, s);
        scores(g, winStart, visEnd, s);
        softmax(r, 0, pinEnd, scoring, s);
        softmax(r, winStart, visEnd, scoring, s);
        values(out, qOff, g * headDim, 0, pinEnd, s);
        values(out, qOff, g * headDim, winStart, visEnd, s);
    }

    /** q·k of block positions {@code [from, to)} into {@code s.dots} (F16) or {@code s.floatDots}. */
    private void scores(int g, int from, int to, AttentionScratch s) {
        if (from >= to) {
            return;
        }
        if (lanes != null) {
            if (f16) {
                lanes.f16Dots(g, s.qWide, from, to, s.dots);
            } else {
                lanes.f32Dots(g, s.q, from, to, s.floatDots);
            }
            return;
        }
        for (int p = from, kv = from * kvDim + g * headDim; p < to; p++, kv += kvDim) {
            if (f16) {
                s.dots[p] = GgmlF16Vectors.dot(kBlock, kv, s.q, headDim);
            } else {
                s.floatDots[p] = AttentionDot.dot(kBlock, kv, s.q, 0, headDim);
            }
        }
    }

    /** The online softmax's bookkeeping for positions {@code [from, to)}, in order; V factors into {@code s}. */
    private void softmax(int r, int from, int to, Scoring scoring, AttentionScratch s) {
        float m = max[r];
        float total = sum[r];
        float factor = scoring.dotFactor();
        float cap = scoring.softcap();
        for (int p = from; p < to; p++) {
            float score = (f16 ? (float) s.dots[p] : s.floatDots[p]) * factor;
            if (cap != 0f) {
                score = cap * (float) Math.tanh(score); // ggml: logit_softcap * tanhf(s)
            }
            float ms = 1f;
            float vs = 1f;
            if (score > m) {
                ms = (float) Math.exp(m - score);
                m = score;
            } else {
                vs = (float) Math.exp(score - m);
            }
            s.ms[p] = ms;
            s.vs[p] = vs;
            total = Math.fma(total, ms, vs);
        }
        max[r] = m;
        sum[r] = total;
    }

    /** Applies the rescales and weighted V rows of positions {@code [from, to)} to the row's output. */
    private void values(float[] out, int qOff, int kvOff, int from, int to, AttentionScratch s) {
        if (from >= to) {
            return;
        }
        if (f16) {
            GgmlF16Vectors.accumulate(out, qOff, headDim, vBlock, from * kvDim + kvOff, kvDim, s.ms, s.vs, from, to);
            return;
        }
        for (int p = from, kv = from * kvDim + kvOff; p < to; p++, kv += kvDim) {
            if (s.ms[p] != 1f) { // x·1 = x exactly: skipping it changes no bit
                VectorOps.scale(out, qOff, headDim, s.ms[p]);
            }
            VectorOps.axpy(s.vs[p], vBlock, kv, out, qOff, headDim);
        }
    }

    private void checkHeads(int heads, float[] q, int n, float[] out) {
        if (heads <= 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads is not a multiple of " + kvHeads + " KV heads");
        }
        long need = (long) n * heads * headDim;
        if (q.length < need || out.length < need) {
            throw new IllegalArgumentException("q/out hold fewer than " + need + " floats");
        }
    }
}
