package dev.kvasir.cache;

import dev.kvasir.tensor.GgmlType;

/**
 * A cache that keeps every position, in F16 (the default, like llama.cpp's KV cache, so attention
 * sees the same rounded values) or F32. Storage grows in chunks of 256 tokens; {@link #copy()}
 * shares the chunks copy-on-write.
 */
public final class FullKvCache extends LinearKvCache {
    private final GgmlType type;

    /** An F16 cache. */
    public FullKvCache(KvLayout layout) {
        this(layout, GgmlType.F16);
    }

    public FullKvCache(KvLayout layout, GgmlType type) {
        super(layout, type, () -> newRows(type, layout.kvDim()));
        this.type = type;
    }

    private FullKvCache(FullKvCache other) {
        super(other);
        this.type = other.type;
    }

    /** Full-precision row storage of the given element type. */
    static Rows<?> newRows(GgmlType type, int width) {
        return switch (type) {
            case F32 -> new F32Rows(width);
            case F16 -> new F16Rows(width);
            default -> throw new IllegalArgumentException("KV cache element type must be F32 or F16, not " + type);
        };
    }

    public GgmlType type() {
        return type;
    }

    @Override
    public FullKvCache copy() {
        return new FullKvCache(this);
    }
}
