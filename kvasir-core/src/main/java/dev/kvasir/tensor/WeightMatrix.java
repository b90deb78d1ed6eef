package dev.kvasir.tensor;

import dev.kvasir.KvasirException;
import java.lang.foreign.MemorySegment;

/**
 * A read-only 2-D weight tensor of {@code rows} rows of {@code cols} elements (ggml shape
 * {@code [cols, rows]}), stored in its GGUF encoding and decoded on the fly by fused SIMD kernels.
 */
public sealed interface WeightMatrix permits RowMatrix {

    int rows();

    int cols();

    GgmlType type();

    /** out[r] = row r · x, for every row; parallel over rows when the matrix is big enough. */
    void matvec(float[] x, float[] out);

    /** x holds {@code batch} vectors of {@code cols} floats; out receives {@code batch} vectors of {@code rows}. */
    void matmul(float[] x, int batch, float[] out);

    /** Decodes row {@code row} into {@code dst[dstOffset, dstOffset + cols)}. */
    void dequantizeRow(int row, float[] dst, int dstOffset);

    /** The types {@link #of} accepts. */
    static boolean supports(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K -> true;
            default -> false;
        };
    }

    static WeightMatrix of(GgmlType type, MemorySegment data, int rows, int cols) {
        return of("tensor", type, data, rows, cols);
    }

    /**
     * Wraps {@code data} (little-endian, any alignment). {@code name} only labels error messages.
     *
     * @throws KvasirException when the type is unsupported or the shape does not fit the data
     */
    static WeightMatrix of(String name, GgmlType type, MemorySegment data, int rows, int cols) {
        Simd.requireAvailable();
        if (!supports(type)) {
            throw new KvasirException(name + ": tensor type " + type + " is not supported for matrix weights yet;"
                    + " use a model quantized as F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K or Q6_K");
        }
        if (rows <= 0 || cols <= 0) {
            throw new KvasirException(name + ": invalid matrix shape " + rows + "x" + cols);
        }
        if (cols % type.blockSize() != 0) {
            throw new KvasirException(name + ": row length " + cols + " is not a multiple of the " + type
                    + " block size " + type.blockSize() + "; the file is damaged or from an incompatible converter");
        }
        long needed = type.byteSize((long) rows * cols);
        if (data.byteSize() < needed) {
            throw new KvasirException(name + ": " + type + " data of " + rows + "x" + cols + " needs " + needed
                    + " bytes but only " + data.byteSize() + " are present; the file is truncated");
        }
        return switch (type) {
            case F32 -> new F32Matrix(data, rows, cols);
            case F16 -> new F16Matrix(data, rows, cols);
            case BF16 -> new BF16Matrix(data, rows, cols);
            case Q8_0 -> new Q8_0Matrix(data, rows, cols);
            case Q4_0 -> new Q4_0Matrix(data, rows, cols);
            case Q4_1 -> new Q4_1Matrix(data, rows, cols);
            case Q5_0 -> new Q5_0Matrix(data, rows, cols);
            case Q5_1 -> new Q5_1Matrix(data, rows, cols);
            case Q4_K -> new Q4_KMatrix(data, rows, cols);
            case Q5_K -> new Q5_KMatrix(data, rows, cols);
            case Q6_K -> new Q6_KMatrix(data, rows, cols);
            default -> throw new AssertionError(type);
        };
    }
}
