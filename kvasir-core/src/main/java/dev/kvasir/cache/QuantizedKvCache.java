package dev.kvasir.cache;

import dev.kvasir.tensor.GgmlType;

/**
 * A cache that stores K and V with {@code bits}-bit affine group quantization (see {@link QuantRows}
 * for the error bound), except the first {@code fullPrecisionTokens} positions, which stay in
 * {@code fullType} (e.g. a system prompt or attention sinks kept exact). Unlike mlx-lm, which
 * converts a whole cache once it passes a start offset, a position's representation here never
 * depends on when it was stored, so caches stay batch-invariant and bit-reproducible from files.
 */
public final class QuantizedKvCache extends LinearKvCache {
    /** Quantization settings; group size must divide {@code kvHeads × headDim}. */
    public record Settings(int bits, int groupSize, int fullPrecisionTokens, GgmlType fullType) {
        public Settings {
            if (fullPrecisionTokens < 0) {
                throw new IllegalArgumentException("fullPrecisionTokens must be >= 0");
            }
        }

        /** 8-bit, groups of 64 (mlx-lm's default), no full-precision head. */
        public static Settings of(int bits, int groupSize) {
            return new Settings(bits, groupSize, 0, GgmlType.F16);
        }
    }

    private final Settings settings;

    public QuantizedKvCache(KvLayout layout, Settings settings) {
        super(layout, GgmlType.F32, () -> track(layout, settings)); // dequantized values: plain F32 arithmetic
        this.settings = settings;
    }

    private QuantizedKvCache(QuantizedKvCache other) {
        super(other);
        this.settings = other.settings;
    }

    private static Track track(KvLayout layout, Settings s) {
        QuantRows quant = new QuantRows(layout.kvDim(), s.bits(), s.groupSize());
        if (s.fullPrecisionTokens() == 0) {
            return quant;
        }
        return new SplitTrack(FullKvCache.newRows(s.fullType(), layout.kvDim()), quant, s.fullPrecisionTokens());
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public QuantizedKvCache copy() {
        return new QuantizedKvCache(this);
    }
}
