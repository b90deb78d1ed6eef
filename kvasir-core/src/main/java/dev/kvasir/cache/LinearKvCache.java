package dev.kvasir.cache;

import dev.kvasir.tensor.GgmlType;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A cache that stores every position at a fixed place (no eviction): appends write straight into
 * storage at {@code size()}, so pending tokens are attended with exactly the values that get kept.
 */
abstract sealed class LinearKvCache implements KvCache permits FullKvCache, QuantizedKvCache {
    private final KvLayout layout;
    private final Track[] keys;
    private final Track[] values;
    private final int[] pending;
    private final GgmlType storage;
    private final Attention attention;
    private final Scoring standard;
    private int size;

    /** {@code storage}: the element type K/V are rounded to, which decides the attention's arithmetic. */
    LinearKvCache(KvLayout layout, GgmlType storage, Supplier<Track> tracks) {
        this.layout = layout;
        this.keys = new Track[layout.layers()];
        this.values = new Track[layout.layers()];
        for (int l = 0; l < layout.layers(); l++) {
            keys[l] = tracks.get();
            values[l] = tracks.get();
        }
        this.pending = new int[layout.layers()];
        this.storage = storage;
        this.attention = new Attention(layout, storage);
        this.standard = Scoring.standard(layout.headDim());
    }

    LinearKvCache(LinearKvCache other) {
        this.layout = other.layout;
        this.keys = new Track[layout.layers()];
        this.values = new Track[layout.layers()];
        for (int l = 0; l < layout.layers(); l++) {
            keys[l] = other.keys[l].copy();
            values[l] = other.values[l].copy();
        }
        this.pending = new int[layout.layers()];
        this.storage = other.storage;
        this.attention = new Attention(layout, storage);
        this.standard = other.standard;
        this.size = other.size;
    }

    @Override
    public final KvLayout layout() {
        return layout;
    }

    @Override
    public final int size() {
        return size;
    }

    @Override
    public final void append(int layer, float[] k, float[] v, int n) {
        KvChecks.append(layout, layer, k, v, n);
        keys[layer].write(size, k, 0, n);
        values[layer].write(size, v, 0, n);
        pending[layer] = n;
    }

    @Override
    public final void attend(int layer, float[] q, int n, int heads, float[] out) {
        attend(layer, q, n, heads, standard, out);
    }

    /** Every position is stored, so a sliding-window layer is only masked: trim, fork and prefix reuse stay exact. */
    @Override
    public final void attend(int layer, float[] q, int n, int heads, Scoring scoring, float[] out) {
        KvChecks.attend(layout, layer, n, pending[layer]);
        attendFrom(layer, size, q, n, heads, scoring, out);
    }

    /** Queries at positions {@code pos ..} over this layer's stored rows (pending ones included). */
    private void attendFrom(int layer, int pos, float[] q, int n, int heads, Scoring scoring, float[] out) {
        Track k = keys[layer];
        Track v = values[layer];
        attention.attend(q, n, heads, pos, 0, layout.window(layer), scoring, (p, count, kd, vd, off) -> {
            k.read(p, count, kd, off);
            v.read(p, count, vd, off);
        }, out);
    }

    @Override
    public final void read(int layer, int pos, int n, float[] k, float[] v) {
        KvChecks.stored(layout, layer, pos, n, size);
        keys[layer].read(pos, n, k, 0);
        values[layer].read(pos, n, v, 0);
    }

    @Override
    public final void overwrite(int layer, int pos, float[] k, float[] v, int n) {
        KvChecks.append(layout, layer, k, v, n);
        KvChecks.stored(layout, layer, pos, n, size);
        keys[layer].write(pos, k, 0, n);
        values[layer].write(pos, v, 0, n);
    }

    @Override
    public final void attendAt(int layer, int pos, float[] q, int n, int heads, Scoring scoring, float[] out) {
        KvChecks.stored(layout, layer, pos, n, size);
        attendFrom(layer, pos, q, n, heads, scoring, out);
    }

    @Override
    public final void commit(int n) {
        KvChecks.commit(pending, n);
        size += n;
        Arrays.fill(pending, 0);
    }

    @Override
    public final boolean canTrim(int n) {
        return n >= 0 && n <= size;
    }

    @Override
    public final int trim(int n) {
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
    public final long bytes() {
        long b = 0;
        for (int l = 0; l < layout.layers(); l++) {
            b += keys[l].bytes() + values[l].bytes();
        }
        return b;
    }

    final Track keys(int layer) {
        return keys[layer];
    }

    final Track values(int layer) {
        return values[layer];
    }

    /** After a file load has written positions {@code [0, size)} into the tracks directly. */
    final void restored(int size) {
        this.size = size;
        Arrays.fill(pending, 0);
    }
}
