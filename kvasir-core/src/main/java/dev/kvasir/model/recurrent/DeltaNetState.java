package dev.kvasir.model.recurrent;

import java.util.Arrays;

/**
 * The memory of a gated delta-net layer: one {@code headDim x headDim} matrix S per value head, which
 * maps a key to the value last written under it. Stored as llama.cpp stores it (transposed, per head
 * {@code matrix[h * d * d + j * d + i] = S[i][j]}, i indexing keys, j values), so a future cache file
 * can hold llama.cpp's layout. Its size does not grow with the sequence. Updated in place by
 * {@link GatedDeltaNet}; {@link #copy()} is a snapshot.
 */
public record DeltaNetState(int heads, int headDim, float[] matrix) {
    public DeltaNetState {
        if (heads < 1 || headDim < 1 || matrix.length != heads * headDim * headDim) {
            throw new IllegalArgumentException("delta-net state of " + matrix.length + " floats does not fit "
                    + heads + " heads of " + headDim + " x " + headDim);
        }
    }

    public static DeltaNetState zeros(int heads, int headDim) {
        return new DeltaNetState(heads, headDim, new float[heads * headDim * headDim]);
    }

    /** S[key][value] of head {@code head}. */
    public float get(int head, int key, int value) {
        return matrix[(head * headDim + value) * headDim + key];
    }

    public DeltaNetState copy() {
        return new DeltaNetState(heads, headDim, matrix.clone());
    }

    public long bytes() {
        return 4L * matrix.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeltaNetState s && s.heads == heads && s.headDim == headDim
                && Arrays.equals(s.matrix, matrix);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * heads + headDim) + Arrays.hashCode(matrix);
    }

    @Override
    public String toString() {
        return "DeltaNetState[heads=" + heads + ", headDim=" + headDim + "]";
    }
}
