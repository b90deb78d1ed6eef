package dev.kvasir.cache;

import dev.kvasir.tensor.GgmlType;
import dev.kvasir.tensor.Parallel;
import dev.kvasir.tensor.VectorOps;

/**
 * The attention kernel as it was before the SIMD rewrite (position by position, scalar, the
 * {@link GgmlF16} primitives): the oracle {@link Attention} must match bit for bit.
 */
final class ScalarAttention {
    static final int BLOCK = Attention.BLOCK;

    private final int kvHeads;
    private final int headDim;
    private final int kvDim;
    private final float[] kBlock;
    private final float[] vBlock;
    private float[] max = new float[0];
    private float[] sum = new float[0];

    /** Whether K/V are stored as F16: then the arithmetic is ggml's F16 flash attention (see {@link GgmlF16}). */
    private final boolean f16;

    ScalarAttention(KvLayout layout, GgmlType storage) {
        this.f16 = storage == GgmlType.F16;
        this.kvHeads = layout.kvHeads();
        this.headDim = layout.headDim();
        this.kvDim = layout.kvDim();
        this.kBlock = new float[BLOCK * kvDim];
        this.vBlock = new float[BLOCK * kvDim];
    }

    /**
     * Attention for {@code n} queries at positions {@code pos0 ..}: query position {@code qp} sees
     * stored positions {@code p <= qp} with {@code p < keep} or {@code p > qp - window}.
     */
    void attend(float[] q, int n, int heads, int pos0, int keep, int window, Scoring scoring, Attention.Source source,
            float[] out) {
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

    private boolean fetch(Attention.Source source, int block, int from, int to) {
        if (from >= to) {
            return false;
        }
        source.fetch(from, to - from, kBlock, vBlock, (from - block) * kvDim);
        return true;
    }

    private void accumulate(float[] q, int n, int heads, int pos0, int keep, int window, Scoring scoring, int b, int bEnd,
            float[] out) {
        // Rows (query token, head) are independent; a chunk of rows per task keeps tiny models inline.
        int grain = Math.max(1, 32768 / ((bEnd - b) * headDim));
        Parallel.forRange(0, n * heads, grain, (from, to) -> {
            float[] qh = new float[headDim];
            float[] acc = new float[GgmlF16.STEP];
            for (int r = from; r < to; r++) {
                row(q, r, heads, pos0 + r / heads, keep, window, scoring, b, bEnd, out, qh, acc);
            }
        });
    }

    /**
     * Folds block {@code [b, bEnd)} into the running softmax of row {@code r} (query at position {@code qp}),
     * one position at a time as ggml's CPU flash attention does. Over an F16 cache it also rounds as
     * ggml does (query rounded to F16, the weighted V sum kept in F16), so the near-ties of greedy
     * decoding break the way llama.cpp breaks them.
     */
    private void row(float[] q, int r, int heads, int qp, int keep, int window, Scoring scoring, int b, int bEnd,
            float[] out, float[] qh, float[] acc) {
        int visEnd = Math.min(bEnd, qp + 1);
        int pinEnd = Math.min(visEnd, keep);
        int winStart = Math.max(Math.max(b, keep), (int) Math.max(0L, (long) qp - window + 1));
        if (b >= pinEnd && winStart >= visEnd) {
            return;
        }
        // ggml: scale /= softcap once; s = s*scale; s = softcap*tanhf(s)
        float cap = scoring.softcap();
        float scale = cap == 0f ? scoring.scale() : scoring.scale() / cap;
        int qOff = r * headDim;
        int kvOff = (r % heads) / (heads / kvHeads) * headDim;
        for (int d = 0; d < headDim; d++) {
            qh[d] = f16 ? GgmlF16.round(q[qOff + d]) : q[qOff + d];
        }
        float m = max[r];
        float total = sum[r];
        for (int p = b; p < visEnd; p++) {
            if (p >= pinEnd && p < winStart) {
                continue;
            }
            int kv = (p - b) * kvDim + kvOff;
            float s = (f16 ? GgmlF16.dot(kBlock, kv, qh, headDim, acc) : AttentionDot.dot(kBlock, kv, qh, 0, headDim)) * scale;
            if (cap != 0f) {
                s = cap * (float) Math.tanh(s);
            }
            float ms = 1f;
            float vs = 1f;
            if (s > m) {
                ms = (float) Math.exp(m - s);
                m = s;
                if (f16) {
                    GgmlF16.scale(out, qOff, headDim, ms);
                } else {
                    VectorOps.scale(out, qOff, headDim, ms);
                }
            } else {
                vs = (float) Math.exp(s - m);
            }
            if (f16) {
                GgmlF16.mad(out, qOff, vBlock, kv, headDim, vs);
            } else {
                VectorOps.axpy(vs, vBlock, kv, out, qOff, headDim);
            }
            total = Math.fma(total, ms, vs);
        }
        max[r] = m;
        sum[r] = total;
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
