package dev.kvasir.cache;

import dev.kvasir.tensor.GgmlType;
import java.util.Arrays;

/**
 * A cache that keeps every position, in F16 (the default, like llama.cpp's KV cache, so attention
 * sees the same rounded values) or F32. Storage grows in chunks of 256 tokens; {@link #copy()}
 * shares the chunks copy-on-write.
 */
public final class FullKvCache implements KvCache {
    private final KvLayout layout;
    private final GgmlType type;
    private final Rows<?>[] keys;
    private final Rows<?>[] values;
    private final int[] pending;
    private final Attention attention;
    private int size;

    /** An F16 cache. */
    public FullKvCache(KvLayout layout) {
        this(layout, GgmlType.F16);
    }

    public FullKvCache(KvLayout layout, GgmlType type) {
        this.layout = layout;
        this.type = type;
        this.keys = new Rows<?>[layout.layers()];
        this.values = new Rows<?>[layout.layers()];
        for (int l = 0; l < layout.layers(); l++) {
            keys[l] = newRows(type, layout.kvDim());
            values[l] = newRows(type, layout.kvDim());
        }
        this.pending = new int[layout.layers()];
        this.attention = new Attention(layout);
    }

    private FullKvCache(FullKvCache other) {
        this.layout = other.layout;
        this.type = other.type;
        this.keys = new Rows<?>[layout.layers()];
        this.values = new Rows<?>[layout.layers()];
        for (int l = 0; l < layout.layers(); l++) {
            keys[l] = other.keys[l].copy();
            values[l] = other.values[l].copy();
        }
        this.pending = new int[layout.layers()];
        this.attention = new Attention(layout);
        this.size = other.size;
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
    public KvLayout layout() {
        return layout;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void append(int layer, float[] k, float[] v, int n) {
        KvChecks.append(layout, layer, k, v, n);
        keys[layer].write(size, k, 0, n);
        values[layer].write(size, v, 0, n);
        pending[layer] = n;
    }

    @Override
    public void attend(int layer, float[] q, int n, int heads, float[] out) {
        KvChecks.attend(layout, layer, n, pending[layer]);
        Rows<?> k = keys[layer];
        Rows<?> v = values[layer];
        attention.attend(q, n, heads, size, 0, Integer.MAX_VALUE, (pos, count, kd, vd, off) -> {
            k.read(pos, count, kd, off);
            v.read(pos, count, vd, off);
        }, out);
    }

    @Override
    public void commit(int n) {
        KvChecks.commit(pending, n);
        size += n;
        Arrays.fill(pending, 0);
    }

    @Override
    public boolean canTrim(int n) {
        return n >= 0 && n <= size;
    }

    @Override
    public int trim(int n) {
        int removed = Math.clamp(n, 0, size);
        size -= removed;
        for (int l = 0; l < layout.layers(); l++) {
            keys[l].truncate(size);
            values[l].truncate(size);
        }
        Arrays.fill(pending, 0);
        return removed;
    }

    @Override
    public long bytes() {
        long b = 0;
        for (int l = 0; l < layout.layers(); l++) {
            b += keys[l].bytes() + values[l].bytes();
        }
        return b;
    }

    @Override
    public FullKvCache copy() {
        return new FullKvCache(this);
    }

    Rows<?> keys(int layer) {
        return keys[layer];
    }

    Rows<?> values(int layer) {
        return values[layer];
    }
}
