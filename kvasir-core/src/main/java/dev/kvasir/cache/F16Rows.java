package dev.kvasir.cache;

import java.lang.foreign.ValueLayout;

/**
 * Rows stored as IEEE half floats, rounded to nearest even like ggml's fp32→fp16 conversion, so a
 * cache holds the same values as llama.cpp's default F16 KV cache.
 */
final class F16Rows extends Rows<short[]> {
    F16Rows(int width) {
        super(width);
    }

    private F16Rows(F16Rows shared) {
        super(shared);
    }

    @Override
    short[] newChunk() {
        return new short[CHUNK * width];
    }

    @Override
    short[] cloneChunk(short[] chunk) {
        return chunk.clone();
    }

    @Override
    void encode(short[] chunk, int r, float[] src, int off, int rows) {
        int base = r * width;
        for (int i = 0, n = rows * width; i < n; i++) {
            chunk[base + i] = Float.floatToFloat16(src[off + i]);
        }
    }

    @Override
    void decode(short[] chunk, int r, int rows, float[] dst, int off) {
        int base = r * width;
        for (int i = 0, n = rows * width; i < n; i++) {
            dst[off + i] = Float.float16ToFloat(chunk[base + i]);
        }
    }

    @Override
    long chunkBytes() {
        return (long) CHUNK * width * Short.BYTES;
    }

    @Override
    int planes() {
        return 1;
    }

    @Override
    ValueLayout planeLayout(int plane) {
        return Planes.F16;
    }

    @Override
    int planeRowElements(int plane) {
        return width;
    }

    @Override
    Object planeArray(short[] chunk, int plane) {
        return chunk;
    }

    @Override
    public F16Rows copy() {
        return new F16Rows(this);
    }

    @Override
    F16Rows emptyLike() {
        return new F16Rows(width);
    }
}
