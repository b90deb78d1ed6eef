package dev.kvasir.cache;

import java.lang.foreign.ValueLayout;

/** Rows stored as 32-bit floats: exact. */
final class F32Rows extends Rows<float[]> {
    F32Rows(int width) {
        super(width);
    }

    private F32Rows(F32Rows shared) {
        super(shared);
    }

    @Override
    float[] newChunk() {
        return new float[CHUNK * width];
    }

    @Override
    float[] cloneChunk(float[] chunk) {
        return chunk.clone();
    }

    @Override
    void encode(float[] chunk, int r, float[] src, int off, int rows) {
        System.arraycopy(src, off, chunk, r * width, rows * width);
    }

    @Override
    void decode(float[] chunk, int r, int rows, float[] dst, int off) {
        System.arraycopy(chunk, r * width, dst, off, rows * width);
    }

    @Override
    long chunkBytes() {
        return (long) CHUNK * width * Float.BYTES;
    }

    @Override
    int planes() {
        return 1;
    }

    @Override
    ValueLayout planeLayout(int plane) {
        return Planes.F32;
    }

    @Override
    int planeRowElements(int plane) {
        return width;
    }

    @Override
    Object planeArray(float[] chunk, int plane) {
        return chunk;
    }

    @Override
    public F32Rows copy() {
        return new F32Rows(this);
    }

    @Override
    F32Rows emptyLike() {
        return new F32Rows(width);
    }
}
