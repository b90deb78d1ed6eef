package dev.kvasir.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order. Required getters throw a {@link GgufException} naming the
 * file and key when the key is missing or has an unusable type; defaulted getters return the default only when the
 * key is absent (a present value of the wrong type is still an error, because it means a broken file).
 * Integer getters (and getIntArray) accept every GGUF integer type and check the range; getFloat also accepts
 * FLOAT64 and integers, getFloatArray FLOAT32 and FLOAT64 arrays.
 */
public final class GgufMetadata {
    private final String file;
    private final Map<String, Value> values;

    /** A typed value; {@code value} uses the Java type documented on {@link GgufValueType}. */
    record Value(GgufValueType type, Object value) {}

    GgufMetadata(String file, LinkedHashMap<String, Value> values) {
        this.file = file;
        this.values = Collections.unmodifiableMap(values);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** All keys, in file order. */
    public Set<String> keys() {
        return values.keySet();
    }

    public int size() {
        return values.size();
    }

    /** The value's type, or null when the key is absent. */
    public GgufValueType type(String key) {
        Value v = values.get(key);
        return v == null ? null : v.type();
    }

    /** The value as documented on {@link GgufValueType}, or null when the key is absent. */
    public Object raw(String key) {
        Value v = values.get(key);
        return v == null ? null : v.value();
    }

    public String getString(String key) {
        return string(key, require(key));
    }

    public String getString(String key, String def) {
        Value v = values.get(key);
        return v == null ? def : string(key, v);
    }

    public long getLong(String key) {
        return integer(key, require(key));
    }

    public long getLong(String key, long def) {
        Value v = values.get(key);
        return v == null ? def : integer(key, v);
    }

    /** Note: a UINT32 of 4294967295 (llama.cpp's "no token" for some ids) is out of range here; use getLong. */
    public int getInt(String key) {
        return toInt(key, getLong(key));
    }

    public int getInt(String key, int def) {
        return has(key) ? getInt(key) : def;
    }

    public float getFloat(String key) {
        return (float) floating(key, require(key));
    }

    public float getFloat(String key, float def) {
        Value v = values.get(key);
        return v == null ? def : (float) floating(key, v);
    }

    public boolean getBool(String key) {
        return bool(key, require(key));
    }

    public boolean getBool(String key, boolean def) {
        Value v = values.get(key);
        return v == null ? def : bool(key, v);
    }

    public String[] getStringArray(String key) {
        GgufArray a = array(key, GgufValueType.STRING);
        return ((String[]) a.values()).clone();
    }

    public int[] getIntArray(String key) {
        GgufArray a = array(key, null);
        if (!a.elementType().isInteger()) {
            throw wrongType(key, "ARRAY of " + a.elementType(), "an array of integers");
        }
        if (a.values() instanceof int[] ints) {
            return ints.clone();
        }
        long[] longs = (long[]) a.values();
        int[] out = new int[longs.length];
        for (int i = 0; i < longs.length; i++) {
            if (a.elementType() == GgufValueType.UINT64 && longs[i] < 0) {
                throw outOfRange(key + "[" + i + "]", Long.toUnsignedString(longs[i]));
            }
            out[i] = toInt(key + "[" + i + "]", longs[i]);
        }
        return out;
    }

    public float[] getFloatArray(String key) {
        GgufArray a = array(key, null);
        return switch (a.values()) {
            case float[] f -> f.clone();
            case double[] d -> {
                float[] out = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = (float) d[i];
                }
                yield out;
            }
            default -> throw wrongType(key, "ARRAY of " + a.elementType(), "an array of floats");
        };
    }

    private Value require(String key) {
        Value v = values.get(key);
        if (v == null) {
            throw new GgufException(file + ": missing required metadata key '" + key + "'");
        }
        return v;
    }

    private GgufArray array(String key, GgufValueType elementType) {
        Value v = require(key);
        if (!(v.value() instanceof GgufArray a)) {
            throw wrongType(key, v.type().toString(), "ARRAY");
        }
        if (elementType != null && a.elementType() != elementType) {
            throw wrongType(key, "ARRAY of " + a.elementType(), "ARRAY of " + elementType);
        }
        return a;
    }

    private String string(String key, Value v) {
        if (v.value() instanceof String s) {
            return s;
        }
        throw wrongType(key, v.type().toString(), "STRING");
    }

    private boolean bool(String key, Value v) {
        if (v.value() instanceof Boolean b) {
            return b;
        }
        throw wrongType(key, v.type().toString(), "BOOL");
    }

    private long integer(String key, Value v) {
        if (!v.type().isInteger()) {
            throw wrongType(key, v.type().toString(), "an integer");
        }
        long n = ((Number) v.value()).longValue();
        if (v.type() == GgufValueType.UINT64 && n < 0) {
            throw outOfRange(key, Long.toUnsignedString(n));
        }
        return n;
    }

    private double floating(String key, Value v) {
        if (v.type().isFloat()) {
            return ((Number) v.value()).doubleValue();
        }
        if (v.type().isInteger()) {
            return integer(key, v);
        }
        throw wrongType(key, v.type().toString(), "a number");
    }

    private int toInt(String key, long n) {
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw outOfRange(key, Long.toString(n));
        }
        return (int) n;
    }

    private GgufException wrongType(String key, String actual, String expected) {
        return new GgufException(file + ": metadata key '" + key + "' has type " + actual + ", expected " + expected);
    }

    private GgufException outOfRange(String key, String value) {
        return new GgufException(file + ": metadata value " + value + " of '" + key + "' is out of range");
    }
}
