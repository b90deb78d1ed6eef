package dev.kvasir.gguf;

import dev.kvasir.tensor.GgmlType;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a GGUF file. {@code shape} is in ggml order: {@code shape[0]} is the row length (number of
 * columns), {@code shape[1]} the number of rows, and so on. {@code offset} is relative to the file's data section.
 * The shape is copied in and out, so instances are immutable.
 */
public record GgufTensorInfo(String name, long[] shape, GgmlType type, long offset) {
    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** {@code shape[i]}, or 1 beyond the rank (as ggml pads shapes with 1). */
    public long dim(int i) {
        return i < shape.length ? shape[i] : 1;
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long byteSize() {
        return type.byteSize(elementCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && t.name.equals(name) && Arrays.equals(t.shape, shape)
                && t.type == type && t.offset == offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), type, offset);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + " @" + offset;
    }
}
