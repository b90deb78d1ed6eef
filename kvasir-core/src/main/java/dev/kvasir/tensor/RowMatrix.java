package dev.kvasir.tensor;

import java.lang.foreign.MemorySegment;

/**
 * The shared row-parallel driver: each format supplies a fused decode-and-dot kernel for one row
 * and a row decoder; matvec and matmul split rows across {@link Parallel}.
 */
abstract sealed class RowMatrix implements WeightMatrix
        permits F32Matrix, F16Matrix, BF16Matrix, Q8_0Matrix, Q4_0Matrix, Q4_1Matrix, Q5_0Matrix, Q5_1Matrix,
        Q4_KMatrix, Q5_KMatrix, Q6_KMatrix {
    /** Below this many multiply-adds a matvec runs on the caller: a hand-off costs more than it saves. */
    static final long PARALLEL_MIN_WORK = 1 << 16;
    /** Smallest chunk of work (multiply-adds) worth handing to another thread. */
    static final long CHUNK_MIN_WORK = 1 << 14;

    final MemorySegment data;
    final int rows;
    final int cols;
    final long rowBytes;

    RowMatrix(MemorySegment data, int rows, int cols) {
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = type().byteSize(cols);
    }

    /** row · x[xOff, xOff + cols), the SIMD kernel. */
    abstract float dotRow(int row, float[] x, int xOff);

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    @Override
    public final void matvec(float[] x, float[] out) {
        checkLengths(x, 1, out);
        if ((long) rows * cols < PARALLEL_MIN_WORK) {
            matvecRows(x, out, 0, rows);
        } else {
            Parallel.forRange(0, rows, grain(), (lo, hi) -> matvecRows(x, out, lo, hi));
        }
    }

    private void matvecRows(float[] x, float[] out, int from, int to) {
        for (int r = from; r < to; r++) {
            out[r] = dotRow(r, x, 0);
        }
    }

    @Override
    public final void matmul(float[] x, int batch, float[] out) {
        if (batch == 1) {
            matvec(x, out);
            return;
        }
        checkLengths(x, batch, out);
        if ((long) rows * cols * batch < PARALLEL_MIN_WORK) {
            matmulRows(x, batch, out, 0, rows);
        } else {
            int grain = Math.max(Gemm.TILE_ROWS, grain() / batch);
            Parallel.forRange(0, rows, grain, (lo, hi) -> matmulRows(x, batch, out, lo, hi));
        }
    }

    /** Decodes each tile of weight rows once and applies it to every activation vector. */
    void matmulRows(float[] x, int batch, float[] out, int from, int to) {
        float[] w = Scratch.row(Gemm.TILE_ROWS * cols);
        for (int r0 = from; r0 < to; r0 += Gemm.TILE_ROWS) {
            int n = Math.min(Gemm.TILE_ROWS, to - r0);
            for (int r = 0; r < n; r++) {
                dequantizeRow(r0 + r, w, r * cols);
            }
            Gemm.tile(w, n, cols, x, batch, out, rows, r0);
        }
    }

    private int grain() {
        return (int) Math.max(1, CHUNK_MIN_WORK / cols);
    }

    private void checkLengths(float[] x, int batch, float[] out) {
        if (batch < 1 || x.length < (long) batch * cols || out.length < (long) batch * rows) {
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " with batch " + batch
                    + ": x has " + x.length + " floats, out has " + out.length);
        }
    }

    @Override
    public String toString() {
        return type() + "[" + rows + "x" + cols + "]";
    }
}
