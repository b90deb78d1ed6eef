package dev.kvasir.gguf;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Objects;

/**
 * A GGUF array value: the element type and a Java array holding the elements (int[], long[], float[],
 * double[], boolean[], String[] or GgufArray[], following {@link GgufValueType}). Equality compares contents.
 */
public record GgufArray(GgufValueType elementType, Object values) {
    public GgufArray {
        Objects.requireNonNull(elementType, "elementType");
        Class<?> expected = javaArrayClass(elementType);
        if (values == null || values.getClass() != expected) {
            throw new IllegalArgumentException("a GGUF " + elementType + " array needs a " + expected.getSimpleName()
                    + ", got " + (values == null ? "null" : values.getClass().getSimpleName()));
        }
    }

    public static GgufArray ofStrings(String... values) {
        return new GgufArray(GgufValueType.STRING, values.clone());
    }

    public static GgufArray ofInt32(int... values) {
        return new GgufArray(GgufValueType.INT32, values.clone());
    }

    public static GgufArray ofFloat32(float... values) {
        return new GgufArray(GgufValueType.FLOAT32, values.clone());
    }

    public int length() {
        return Array.getLength(values);
    }

    /** The Java array class that holds elements of a GGUF type. */
    static Class<?> javaArrayClass(GgufValueType type) {
        return switch (type) {
            case UINT8, INT8, UINT16, INT16, INT32 -> int[].class;
            case UINT32, UINT64, INT64 -> long[].class;
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case BOOL -> boolean[].class;
            case STRING -> String[].class;
            case ARRAY -> GgufArray[].class;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufArray(GgufValueType t, Object v) && t == elementType && Objects.deepEquals(v, values);
    }

    @Override
    public int hashCode() {
        return 31 * elementType.hashCode() + Arrays.deepHashCode(new Object[] {values});
    }

    @Override
    public String toString() {
        String s = Arrays.deepToString(new Object[] {values});
        return elementType + s.substring(1, s.length() - 1);
    }
}
