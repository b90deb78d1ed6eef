package dev.kvasir.tensor;

import static dev.kvasir.tensor.Kernels.F;
import static dev.kvasir.tensor.Kernels.L;

import jdk.incubator.vector.FloatVector;

/**
 * The prefill micro-kernel: a tile of already-decoded weight rows times a batch of activation vectors.
 * Register blocking (4 rows x 3 vectors = 12 accumulators) makes each loaded weight vector feed three
 * FMAs and each activation vector four, so the loop is bound by FMA throughput rather than loads.
 */
final class Gemm {
    static final int TILE_ROWS = 4;
    private static final int TILE_BATCH = 3;

    private Gemm() {}

    /**
     * out[b * outStride + row0 + r] = w[r * cols ...] · x[b * cols ...] for r < rows and tokens
     * {@code first <= b < end}.
     */
    static void tile(float[] w, int rows, int cols, float[] x, int first, int end, float[] out, int outStride, int row0) {
        if (rows == TILE_ROWS) {
            int b = first;
            for (; b + TILE_BATCH <= end; b += TILE_BATCH) {
                kernel4x3(w, cols, x, b, out, outStride, row0);
            }
            for (; b < end; b++) {
                kernel4x1(w, cols, x, b, out, outStride, row0);
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int b = first; b < end; b++) {
                out[b * outStride + row0 + r] = dot(w, r * cols, x, b * cols, cols);
            }
        }
    }

    private static void kernel4x3(float[] w, int cols, float[] x, int b, float[] out, int outStride, int row0) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00;
        int x0 = b * cols, x1 = x0 + cols, x2 = x1 + cols;
        int w1 = cols, w2 = 2 * cols, w3 = 3 * cols;
        int i = 0;
        for (int bound = cols - L; i <= bound; i += L) {
            FloatVector v0 = FloatVector.fromArray(F, x, x0 + i);
            FloatVector v1 = FloatVector.fromArray(F, x, x1 + i);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + i);
            FloatVector r = FloatVector.fromArray(F, w, i);
            a00 = r.fma(v0, a00);
            a01 = r.fma(v1, a01);
            a02 = r.fma(v2, a02);
            r = FloatVector.fromArray(F, w, w1 + i);
            a10 = r.fma(v0, a10);
            a11 = r.fma(v1, a11);
            a12 = r.fma(v2, a12);
            r = FloatVector.fromArray(F, w, w2 + i);
            a20 = r.fma(v0, a20);
            a21 = r.fma(v1, a21);
            a22 = r.fma(v2, a22);
            r = FloatVector.fromArray(F, w, w3 + i);
            a30 = r.fma(v0, a30);
            a31 = r.fma(v1, a31);
            a32 = r.fma(v2, a32);
        }
        int o0 = b * outStride + row0, o1 = o0 + outStride, o2 = o1 + outStride;
        out[o0] = tailSum(a00, w, 0, x, x0, i, cols);
        out[o1] = tailSum(a01, w, 0, x, x1, i, cols);
        out[o2] = tailSum(a02, w, 0, x, x2, i, cols);
        out[o0 + 1] = tailSum(a10, w, w1, x, x0, i, cols);
        out[o1 + 1] = tailSum(a11, w, w1, x, x1, i, cols);
        out[o2 + 1] = tailSum(a12, w, w1, x, x2, i, cols);
        out[o0 + 2] = tailSum(a20, w, w2, x, x0, i, cols);
        out[o1 + 2] = tailSum(a21, w, w2, x, x1, i, cols);
        out[o2 + 2] = tailSum(a22, w, w2, x, x2, i, cols);
        out[o0 + 3] = tailSum(a30, w, w3, x, x0, i, cols);
        out[o1 + 3] = tailSum(a31, w, w3, x, x1, i, cols);
        out[o2 + 3] = tailSum(a32, w, w3, x, x2, i, cols);
    }

    private static void kernel4x1(float[] w, int cols, float[] x, int b, float[] out, int outStride, int row0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int x0 = b * cols, w1 = cols, w2 = 2 * cols, w3 = 3 * cols;
        int i = 0;
        for (int bound = cols - L; i <= bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, x0 + i);
            a0 = FloatVector.fromArray(F, w, i).fma(v, a0);
            a1 = FloatVector.fromArray(F, w, w1 + i).fma(v, a1);
            a2 = FloatVector.fromArray(F, w, w2 + i).fma(v, a2);
            a3 = FloatVector.fromArray(F, w, w3 + i).fma(v, a3);
        }
        int o = b * outStride + row0;
        out[o] = tailSum(a0, w, 0, x, x0, i, cols);
        out[o + 1] = tailSum(a1, w, w1, x, x0, i, cols);
        out[o + 2] = tailSum(a2, w, w2, x, x0, i, cols);
        out[o + 3] = tailSum(a3, w, w3, x, x0, i, cols);
    }

    /** One output with the same operation sequence as every kernel here: one accumulator, element order. */
    static float dot(float[] w, int wOff, float[] x, int xOff, int cols) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = cols - L; i <= bound; i += L) {
            acc = FloatVector.fromArray(F, w, wOff + i).fma(FloatVector.fromArray(F, x, xOff + i), acc);
        }
        return tailSum(acc, w, wOff, x, xOff, i, cols);
    }

    /** Reduces the lanes and adds the scalar tail {@code [from, cols)} that did not fill a vector. */
    static float tailSum(FloatVector acc, float[] w, int wOff, float[] x, int xOff, int from, int cols) {
        float s = VectorOps.sumLanes(acc);
        for (int i = from; i < cols; i++) {
            s += w[wOff + i] * x[xOff + i];
        }
        return s;
    }
}
