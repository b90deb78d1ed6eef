package dev.kvasir.model;

import dev.kvasir.KvasirException;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.gguf.GgufTensorInfo;
import dev.kvasir.tensor.WeightMatrix;
import java.util.Arrays;

/** Looks up a model's tensors by GGUF name and checks each against the shape the config implies. */
final class TensorSource {
    private final GgufFile file;

    TensorSource(GgufFile file) {
        this.file = file;
    }

    boolean has(String name) {
        return file.tensor(name).isPresent();
    }

    /** A {@code rows × cols} matrix: ggml shape {@code [cols, rows]}. */
    WeightMatrix matrix(String name, int rows, int cols) {
        GgufTensorInfo info = require(name, new long[] {cols, rows});
        return WeightMatrix.of(fileName() + ": tensor '" + name + "'", info.type(), file.tensorData(info), rows, cols);
    }

    /** A vector of {@code n} values, dequantized to floats whatever its type. */
    float[] vector(String name, int n) {
        GgufTensorInfo info = require(name, new long[] {n});
        float[] values = new float[n];
        WeightMatrix.of(fileName() + ": tensor '" + name + "'", info.type(), file.tensorData(info), 1, n)
                .dequantizeRow(0, values, 0);
        return values;
    }

    /** Like {@link #vector} but null when the file has no such tensor. */
    float[] optionalVector(String name, int n) {
        return has(name) ? vector(name, n) : null;
    }

    private GgufTensorInfo require(String name, long[] shape) {
        GgufTensorInfo info = file.tensor(name).orElseThrow(() -> new KvasirException(fileName()
                + ": required tensor '" + name + "' is missing; the file is incomplete or not a supported model"));
        if (!Arrays.equals(info.shape(), shape)) {
            throw new KvasirException(fileName() + ": tensor '" + name + "' has shape " + Arrays.toString(info.shape())
                    + " but the model's metadata implies " + Arrays.toString(shape) + "; re-convert the model");
        }
        return info;
    }

    private String fileName() {
        return file.path().toString();
    }
}
