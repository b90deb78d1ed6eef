package dev.kvasir.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Formats whose fused matvec kernel takes one row at a time: their four-row loops exceed C2's inlining
 * node budget (NodeCountInliningCutoff) and ran several times slower.
 */
abstract sealed class RowByRowMatrix extends RowMatrix
        permits Q4_0Matrix, Q4_1Matrix, Q5_0Matrix, Q5_1Matrix, Q4_KMatrix, Q5_KMatrix {

    RowByRowMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    final void dot4(int row, float[] x, float[] out) {
        for (int r = row; r < row + 4; r++) {
            out[r] = dot(r, x);
        }
    }

    /** row · x with the arithmetic of {@link RowMatrix#dot4}: decoded weights, one FMA chain in element order. */
    abstract float dot(int row, float[] x);
}
