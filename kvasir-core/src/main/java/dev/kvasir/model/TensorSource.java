package dev.kvasir.model;

import dev.kvasir.KvasirException;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.gguf.GgufTensorInfo;
import dev.kvasir.tensor.WeightMatrix;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Looks up a model's tensors by GGUF name, checks each against the shape the config implies, and
 * remembers which were taken: a tensor the family never asks for means a variant it would run wrong
 * (llama.cpp refuses such files too), see {@link #requireAllUsed}.
 */
final class TensorSource {
    private final GgufFile file;
    private final Set<String> used = new HashSet<>();

    TensorSource(GgufFile file) {
        this.file = file;
    }

    boolean has(String name) {
        return file.tensor(name).isPresent();
    }

    /** A {@code rows × cols} matrix: ggml shape {@code [cols, rows]}. */
    WeightMatrix matrix(String name, int rows, int cols) {
        GgufTensorInfo info = require(name, new long[] {cols, rows});
        return WeightMatrix.of(label(name), info.type(), file.tensorData(info), rows, cols);
    }

    /**
     * A fused matrix of {@code sum(rows)} rows, as consecutive matrices of {@code rows[i]} rows each:
     * views of the same mapped bytes. Row r of a product depends on weight row r alone, so the parts
     * give the bits of the fused product.
     */
    WeightMatrix[] splitRows(String name, int[] rows, int cols) {
        int total = Arrays.stream(rows).sum();
        GgufTensorInfo info = require(name, new long[] {cols, total});
        MemorySegment data = file.tensorData(info);
        WeightMatrix[] parts = new WeightMatrix[rows.length];
        long offset = 0;
        for (int i = 0; i < rows.length; i++) {
            long bytes = info.type().byteSize((long) rows[i] * cols);
            parts[i] = WeightMatrix.of(label(name), info.type(), data.asSlice(offset, bytes), rows[i], cols);
            offset += bytes;
        }
        return parts;
    }

    /** A vector of {@code n} values, dequantized to floats whatever its type. */
    float[] vector(String name, int n) {
        GgufTensorInfo info = require(name, new long[] {n});
        float[] values = new float[n];
        WeightMatrix.of(label(name), info.type(), file.tensorData(info), 1, n).dequantizeRow(0, values, 0);
        return values;
    }

    /** Like {@link #vector} but null when the file has no such tensor. */
    float[] optionalVector(String name, int n) {
        return has(name) ? vector(name, n) : null;
    }

    /** Refuses a file with tensors the family did not take, naming the first one. */
    void requireAllUsed(String architecture) {
        for (GgufTensorInfo t : file.tensors()) {
            if (!used.contains(t.name())) {
                throw new KvasirException(fileName() + ": tensor '" + t.name() + "' is not part of a " + architecture
                        + " model as Kvasir runs it; the file is a variant Kvasir does not support");
            }
        }
    }

    private GgufTensorInfo require(String name, long[] shape) {
        GgufTensorInfo info = file.tensor(name).orElseThrow(() -> new KvasirException(fileName()
                + ": required tensor '" + name + "' is missing; the file is incomplete or not a supported model"));
        if (!Arrays.equals(info.shape(), shape)) {
            throw new KvasirException(fileName() + ": tensor '" + name + "' has shape " + Arrays.toString(info.shape())
                    + " but the model's metadata implies " + Arrays.toString(shape) + "; re-convert the model");
        }
        used.add(name);
        return info;
    }

    private String label(String name) {
        return fileName() + ": tensor '" + name + "'";
    }

    private String fileName() {
        return file.path().toString();
    }
}
