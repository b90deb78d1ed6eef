package dev.kvasir.tensor;

import static dev.kvasir.tensor.Kernels.F;
import static dev.kvasir.tensor.Kernels.L;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * The shared row-parallel driver: each format supplies a fused decode-and-dot kernel for one row
 * and a row decoder; matvec and matmul split rows across {@link Parallel}.
 */
abstract sealed class RowMatrix implements WeightMatrix
        permits F32Matrix, F16Matrix, BF16Matrix, Q8_0Matrix, Q6_KMatrix, RowByRowMatrix {
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

    /**
     * Activations per token block of a matmul. Each block decodes the weights again (17 % of a
     * 256-token Q8_0 prefill at 256 KiB), while activations beyond L2 cost little: the micro-kernel
     * reuses each loaded vector four times. So blocks are large, only bounding the decode count.
     */
    static final int X_BLOCK_BYTES = 1024 * 1024;
    /** Elements decoded at a time by the generic {@link #dot4}: a 4-row chunk stays in L1. */
    private static final int DOT_CHUNK = 256;

    /**
     * Decodes blocks {@code [first, end)} of {@code row} into {@code dst}, block {@code b} at
     * {@code dstOffset + (b - first) * blockSize}. Float formats have blocks of one element.
     */
    abstract void decodeBlocks(int row, int first, int end, float[] dst, int dstOffset);

    @Override
    public final void dequantizeRow(int row, float[] dst, int dstOffset) {
        decodeBlocks(row, 0, cols / type().blockSize(), dst, dstOffset);
    }

    /**
     * out[row + r] = (row + r) · x for r &lt; 4, with exactly the arithmetic of {@link Gemm} over
     * {@link #dequantizeRow}: one accumulator per row, fed in element order, so matvec and matmul give
     * the same bits for a token. This version decodes a chunk at a time into scratch; formats override
     * it with fused decoding and must keep the same arithmetic.
     */
    void dot4(int row, float[] x, float[] out) {
        int blockSize = type().blockSize();
        int chunkBlocks = Math.max(1, DOT_CHUNK / blockSize);
        int chunk = chunkBlocks * blockSize;
        int blocks = cols / blockSize;
        float[] w = Scratch.row(Gemm.TILE_ROWS * chunk);
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int done = 0;
        int n = 0;
        int i = 0;
        for (int b = 0; b < blocks; b += chunkBlocks) {
            int e = Math.min(blocks, b + chunkBlocks);
            for (int r = 0; r < Gemm.TILE_ROWS; r++) {
                decodeBlocks(row + r, b, e, w, r * chunk);
            }
            done = b * blockSize;
            n = (e - b) * blockSize;
            for (i = 0; i <= n - L; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, done + i);
                a0 = FloatVector.fromArray(F, w, i).fma(v, a0);
                a1 = FloatVector.fromArray(F, w, chunk + i).fma(v, a1);
                a2 = FloatVector.fromArray(F, w, 2 * chunk + i).fma(v, a2);
                a3 = FloatVector.fromArray(F, w, 3 * chunk + i).fma(v, a3);
            }
        }
        // Only the last chunk can end in a partial vector (chunks are whole vectors otherwise).
        out[row] = Gemm.tailSum(a0, w, 0, x, done, i, n);
        out[row + 1] = Gemm.tailSum(a1, w, chunk, x, done, i, n);
        out[row + 2] = Gemm.tailSum(a2, w, 2 * chunk, x, done, i, n);
        out[row + 3] = Gemm.tailSum(a3, w, 3 * chunk, x, done, i, n);
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    /**
     * Split into whole tiles of {@link Gemm#TILE_ROWS} rows, so every row but the last few goes through
     * {@link #dot4} however the rows are shared among threads.
     */
    @Override
    public final void matvec(float[] x, float[] out) {
        checkLengths(x, 1, out);
        int tiles = (rows + Gemm.TILE_ROWS - 1) / Gemm.TILE_ROWS;
        if ((long) rows * cols < PARALLEL_MIN_WORK) {
            matvecTiles(x, out, 0, tiles);
        } else {
            int grain = Math.max(1, grain() / Gemm.TILE_ROWS);
            Parallel.forRange(0, tiles, grain, (lo, hi) -> matvecTiles(x, out, lo, hi));
        }
    }

    private void matvecTiles(float[] x, float[] out, int fromTile, int toTile) {
        int end = Math.min(rows, toTile * Gemm.TILE_ROWS);
        int r = fromTile * Gemm.TILE_ROWS;
        for (; r + Gemm.TILE_ROWS <= end; r += Gemm.TILE_ROWS) {
            dot4(r, x, out);
        }
        if (r < end) {
            matmulRows(x, 1, out, r, end);
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

    /**
     * Decodes each tile of weight rows and applies it to every activation vector (the oracle of
     * {@link #dot4}). Tokens go in blocks of about {@link #X_BLOCK_BYTES}.
     */
    void matmulRows(float[] x, int batch, float[] out, int from, int to) {
        float[] w = Scratch.row(Gemm.TILE_ROWS * cols);
        int block = Math.max(1, X_BLOCK_BYTES / (4 * cols));
        for (int b0 = 0; b0 < batch; b0 += block) {
            int b1 = Math.min(batch, b0 + block);
            for (int r0 = from; r0 < to; r0 += Gemm.TILE_ROWS) {
                int n = Math.min(Gemm.TILE_ROWS, to - r0);
                for (int r = 0; r < n; r++) {
                    dequantizeRow(r0 + r, w, r * cols);
                }
                Gemm.tile(w, n, cols, x, b0, b1, out, rows, r0);
            }
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
