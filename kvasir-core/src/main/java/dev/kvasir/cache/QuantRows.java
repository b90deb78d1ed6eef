package dev.kvasir.cache;

import java.lang.foreign.ValueLayout;

/**
 * Rows stored with affine group quantization, as mlx's quantized KV cache does: each group of
 * {@code groupSize} consecutive elements of a row keeps {@code bits}-bit codes {@code q} plus an F32
 * scale and bias, and decodes as {@code q * scale + bias}. With {@code bias = min} and
 * {@code scale = (max - min) / (2^bits - 1)}, every element is within {@code scale / 2} of its input
 * (plus F32 rounding). 4-bit codes are packed two per byte, the even element in the low nibble.
 */
final class QuantRows extends Rows<QuantRows.Chunk> {
    record Chunk(byte[] q, float[] scales, float[] biases) {
        Chunk copy() {
            return new Chunk(q.clone(), scales.clone(), biases.clone());
        }
    }

    final int bits;
    final int groupSize;
    private final int groups;
    private final int rowCodes;
    private final int levels;

    QuantRows(int width, int bits, int groupSize) {
        super(width);
        if (bits != 4 && bits != 8) {
            throw new IllegalArgumentException("quantized KV cache bits must be 4 or 8, not " + bits);
        }
        if (groupSize <= 0 || groupSize % 2 != 0 || width % groupSize != 0) {
            throw new IllegalArgumentException("quantization group size " + groupSize
                    + " must be even and divide the KV row width " + width);
        }
        this.bits = bits;
        this.groupSize = groupSize;
        this.groups = width / groupSize;
        this.rowCodes = width * bits / 8;
        this.levels = (1 << bits) - 1;
    }

    private QuantRows(QuantRows shared) {
        super(shared);
        this.bits = shared.bits;
        this.groupSize = shared.groupSize;
        this.groups = shared.groups;
        this.rowCodes = shared.rowCodes;
        this.levels = shared.levels;
    }

    @Override
    Chunk newChunk() {
        return new Chunk(new byte[CHUNK * rowCodes], new float[CHUNK * groups], new float[CHUNK * groups]);
    }

    @Override
    Chunk cloneChunk(Chunk chunk) {
        return chunk.copy();
    }

    @Override
    void encode(Chunk chunk, int r, float[] src, int off, int rows) {
        for (int row = 0; row < rows; row++) {
            for (int g = 0; g < groups; g++) {
                quantizeGroup(src, off + row * width + g * groupSize, chunk, (r + row) * groups + g);
            }
        }
    }

    private void quantizeGroup(float[] src, int s, Chunk chunk, int group) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < groupSize; i++) {
            min = Math.min(min, src[s + i]);
            max = Math.max(max, src[s + i]);
        }
        float scale = (max - min) / levels;
        chunk.scales[group] = scale;
        chunk.biases[group] = min;
        float inv = scale == 0f ? 0f : 1f / scale;
        int base = group * groupSize; // element index of the group within the chunk
        for (int i = 0; i < groupSize; i++) {
            int code = Math.clamp(Math.round((src[s + i] - min) * inv), 0, levels);
            setCode(chunk.q, base + i, code);
        }
    }

    private void setCode(byte[] q, int element, int code) {
        if (bits == 8) {
            q[element] = (byte) code;
        } else {
            int b = element >> 1;
            q[b] = (element & 1) == 0 ? (byte) ((q[b] & 0xF0) | code) : (byte) ((q[b] & 0x0F) | (code << 4));
        }
    }

    private int code(byte[] q, int element) {
        if (bits == 8) {
            return q[element] & 0xFF;
        }
        int b = q[element >> 1] & 0xFF;
        return (element & 1) == 0 ? b & 0x0F : b >>> 4;
    }

    @Override
    void decode(Chunk chunk, int r, int rows, float[] dst, int off) {
        for (int g = r * groups, end = (r + rows) * groups; g < end; g++) {
            float scale = chunk.scales[g];
            float bias = chunk.biases[g];
            int base = g * groupSize;
            int d = off + (g - r * groups) * groupSize;
            for (int i = 0; i < groupSize; i++) {
                dst[d + i] = code(chunk.q, base + i) * scale + bias;
            }
        }
    }

    @Override
    long chunkBytes() {
        return (long) CHUNK * (rowCodes + 2L * groups * Float.BYTES);
    }

    @Override
    int planes() {
        return 3;
    }

    @Override
    ValueLayout planeLayout(int plane) {
        return plane == 0 ? Planes.U8 : Planes.F32;
    }

    @Override
    int planeRowElements(int plane) {
        return plane == 0 ? rowCodes : groups;
    }

    @Override
    Object planeArray(Chunk chunk, int plane) {
        return switch (plane) {
            case 0 -> chunk.q;
            case 1 -> chunk.scales;
            default -> chunk.biases;
        };
    }

    @Override
    public QuantRows copy() {
        return new QuantRows(this);
    }

    @Override
    QuantRows emptyLike() {
        return new QuantRows(width, bits, groupSize);
    }
}
