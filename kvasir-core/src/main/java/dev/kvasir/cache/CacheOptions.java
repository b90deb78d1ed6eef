package dev.kvasir.cache;

import dev.kvasir.KvasirException;
import dev.kvasir.tensor.GgmlType;

/**
 * Which kind of cache to build and its parameters; stored in .kvc headers, so a loaded cache is
 * rebuilt exactly as it was made. Parameters that do not apply to a kind are 0.
 *
 * @param type                F16 or F32: element type of full-precision storage
 * @param maxSize             rotating: positions held at most
 * @param keep                rotating: leading positions pinned
 * @param bits                quantized: 4 or 8
 * @param groupSize           quantized: elements per scale/bias group
 * @param fullPrecisionTokens quantized: leading positions kept in {@code type}
 */
public record CacheOptions(Kind kind, GgmlType type, int maxSize, int keep, int bits, int groupSize,
                           int fullPrecisionTokens) {

    /**
     * FULL keeps every position (sliding-window layers are masked, so trim, fork and prefix reuse
     * stay exact); WINDOWED keeps only the window on sliding-window layers (all that continuing
     * needs) and every position on full layers.
     */
    public enum Kind { FULL, ROTATING, QUANTIZED, WINDOWED }

    public CacheOptions {
        if (type != GgmlType.F16 && type != GgmlType.F32) {
            throw new KvasirException("KV cache element type must be F16 or F32, not " + type);
        }
        switch (kind) {
            case FULL, WINDOWED -> require(maxSize == 0 && keep == 0 && bits == 0 && groupSize == 0 && fullPrecisionTokens == 0,
                    "a " + kind.name().toLowerCase(java.util.Locale.ROOT) + " cache takes no size, keep or quantization parameters");
            case ROTATING -> require(keep >= 0 && maxSize > keep && bits == 0 && groupSize == 0 && fullPrecisionTokens == 0,
                    "a rotating cache needs 0 <= keep < maxSize (got keep " + keep + ", maxSize " + maxSize + ")");
            case QUANTIZED -> require((bits == 4 || bits == 8) && groupSize > 0 && groupSize % 2 == 0
                            && fullPrecisionTokens >= 0 && maxSize == 0 && keep == 0,
                    "a quantized cache needs 4 or 8 bits and an even group size (got " + bits + " bits, group " + groupSize + ")");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new KvasirException("invalid KV cache options: " + message);
        }
    }

    /** A full F16 cache: llama.cpp's default. */
    public static CacheOptions full() {
        return full(GgmlType.F16);
    }

    public static CacheOptions full(GgmlType type) {
        return new CacheOptions(Kind.FULL, type, 0, 0, 0, 0, 0);
    }

    /** Sliding-window layers keep only their window (for models that have them, e.g. Gemma 2/3). */
    public static CacheOptions windowed(GgmlType type) {
        return new CacheOptions(Kind.WINDOWED, type, 0, 0, 0, 0, 0);
    }

    public static CacheOptions rotating(int maxSize, int keep) {
        return rotating(maxSize, keep, GgmlType.F16);
    }

    public static CacheOptions rotating(int maxSize, int keep, GgmlType type) {
        return new CacheOptions(Kind.ROTATING, type, maxSize, keep, 0, 0, 0);
    }

    /** Quantized from the first token, group size 64 by default in mlx-lm; any even divisor of the KV row works. */
    public static CacheOptions quantized(int bits, int groupSize) {
        return quantized(bits, groupSize, 0, GgmlType.F16);
    }

    public static CacheOptions quantized(int bits, int groupSize, int fullPrecisionTokens, GgmlType type) {
        return new CacheOptions(Kind.QUANTIZED, type, 0, 0, bits, groupSize, fullPrecisionTokens);
    }

    /** A new empty cache of this kind for the layout. */
    public KvCache newCache(KvLayout layout) {
        return switch (kind) {
            case FULL -> new FullKvCache(layout, type);
            case ROTATING -> {
                if (layout.hasSlidingLayers()) {
                    throw new KvasirException("invalid KV cache options: a rotating cache cannot hold a model with"
                            + " sliding-window layers (" + layout.kindLabels() + "); use the full or windowed kind");
                }
                yield new RotatingKvCache(layout, maxSize, keep, type);
            }
            case WINDOWED -> {
                if (!layout.hasSlidingLayers()) {
                    throw new KvasirException("invalid KV cache options: a windowed cache is for models with"
                            + " sliding-window layers and this model has none; use the full kind");
                }
                yield RotatingKvCache.windowed(layout, type);
            }
            case QUANTIZED -> {
                if (layout.kvDim() % groupSize != 0) {
                    throw new KvasirException("invalid KV cache options: group size " + groupSize
                            + " does not divide the model's KV row of " + layout.kvDim() + " elements; use a divisor such as "
                            + Integer.lowestOneBit(layout.kvDim()));
                }
                yield new QuantizedKvCache(layout, new QuantizedKvCache.Settings(bits, groupSize, fullPrecisionTokens, type));
            }
        };
    }
}
