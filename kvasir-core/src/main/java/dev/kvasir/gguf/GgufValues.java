package dev.kvasir.gguf;

/**
 * Checks that a Java value is what {@link GgufValueType} documents for a type and within the type's range, so
 * the writer refuses a bad put at the call that made it rather than writing a file that reads back differently.
 */
final class GgufValues {
    private GgufValues() {}

    static void check(String key, GgufValueType type, Object value) {
        boolean ok = switch (type) {
            case UINT8 -> value instanceof Integer i && i >= 0 && i <= 0xff;
            case INT8 -> value instanceof Integer i && i >= Byte.MIN_VALUE && i <= Byte.MAX_VALUE;
            case UINT16 -> value instanceof Integer i && i >= 0 && i <= 0xffff;
            case INT16 -> value instanceof Integer i && i >= Short.MIN_VALUE && i <= Short.MAX_VALUE;
            case INT32 -> value instanceof Integer;
            case UINT32 -> value instanceof Long l && l >= 0 && l <= 0xffff_ffffL;
            case UINT64, INT64 -> value instanceof Long;
            case FLOAT32 -> value instanceof Float;
            case FLOAT64 -> value instanceof Double;
            case BOOL -> value instanceof Boolean;
            case STRING -> value instanceof String;
            case ARRAY -> value instanceof GgufArray a && checkElements(key, a);
        };
        if (!ok) {
            throw new IllegalArgumentException("metadata '" + key + "': " + describe(value) + " is not a valid " + type
                    + " (see GgufValueType for the Java types)");
        }
    }

    private static boolean checkElements(String key, GgufArray array) {
        for (int i = 0; i < array.length(); i++) {
            check(key + "[" + i + "]", array.elementType(), java.lang.reflect.Array.get(array.values(), i));
        }
        return true;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }
}
