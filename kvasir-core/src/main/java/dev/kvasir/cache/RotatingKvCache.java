package dev.kvasir.cache;

import dev.kvasir.tensor.GgmlType;
import java.util.Arrays;

/**
 * A cache holding at most {@code maxSize} positions, like mlx-lm's RotatingKVCache: the first
 * {@code keep} positions are pinned, the rest is a sliding window of the last
 * {@code maxSize - keep} positions. Query position {@code qp} attends to positions {@code p <= qp}
 * with {@code p < keep} or {@code p > qp - (maxSize - keep)}, also inside a batch. Keys are stored
 * after RoPE, with their absolute positions, so eviction never re-rotates anything.
 *
 * <p>A pending batch is held apart until {@link #commit}, so each of its queries sees exactly its own
 * window even when the batch is longer than the window. Trimming is exact only while nothing has
 * been evicted ({@code size() <= maxSize}); after that {@link #canTrim} is false for any {@code n > 0}
 * and {@link #trim} removes nothing, because the evicted positions cannot be brought back.
 */
public final class RotatingKvCache implements KvCache {
    private final KvLayout layout;
    private final GgmlType type;
    private final int maxSize;
    private final int keep;
    private final RingTrack[] keys;
    private final RingTrack[] values;
    private final Rows<?>[] pendingKeys;
    private final Rows<?>[] pendingValues;
    private final int[] pending;
    private final Attention attention;
    private float[] scratch = new float[0];
    private int size;

    public RotatingKvCache(KvLayout layout, int maxSize, int keep) {
        this(layout, maxSize, keep, GgmlType.F16);
    }

    public RotatingKvCache(KvLayout layout, int maxSize, int keep, GgmlType type) {
        if (keep < 0 || maxSize <= keep) {
            throw new IllegalArgumentException("rotating cache needs 0 <= keep < maxSize, got keep "
                    + keep + ", maxSize " + maxSize);
        }
        this.layout = layout;
        this.type = type;
        this.maxSize = maxSize;
        this.keep = keep;
        int layers = layout.layers();
        this.keys = new RingTrack[layers];
        this.values = new RingTrack[layers];
        this.pendingKeys = new Rows<?>[layers];
        this.pendingValues = new Rows<?>[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = new RingTrack(FullKvCache.newRows(type, layout.kvDim()), keep, window());
            values[l] = new RingTrack(FullKvCache.newRows(type, layout.kvDim()), keep, window());
            pendingKeys[l] = FullKvCache.newRows(type, layout.kvDim());
            pendingValues[l] = FullKvCache.newRows(type, layout.kvDim());
        }
        this.pending = new int[layers];
        this.attention = new Attention(layout, type);
    }

    private RotatingKvCache(RotatingKvCache other) {
        this(other.layout, other.maxSize, other.keep, other.type);
        for (int l = 0; l < layout.layers(); l++) {
            keys[l] = other.keys[l].copy();
            values[l] = other.values[l].copy();
        }
        this.size = other.size;
    }

    public int maxSize() {
        return maxSize;
    }

    public int keep() {
        return keep;
    }

    public GgmlType type() {
        return type;
    }

    private int window() {
        return maxSize - keep;
    }

    /** The first non-pinned position still held: positions {@code [windowStart(), size())} are kept. */
    public int windowStart() {
        return Math.max(keep, size - window());
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
        pendingKeys[layer].write(0, k, 0, n);
        pendingValues[layer].write(0, v, 0, n);
        pending[layer] = n;
    }

    @Override
    public void attend(int layer, float[] q, int n, int heads, float[] out) {
        KvChecks.attend(layout, layer, n, pending[layer]);
        attention.attend(q, n, heads, size, keep, window(), (pos, count, kd, vd, off) -> {
            int stored = Math.clamp((long) size - pos, 0, count);
            if (stored > 0) {
                keys[layer].read(pos, stored, kd, off);
                values[layer].read(pos, stored, vd, off);
            }
            if (count > stored) {
                int o = off + stored * layout.kvDim();
                pendingKeys[layer].read(pos + stored - size, count - stored, kd, o);
                pendingValues[layer].read(pos + stored - size, count - stored, vd, o);
            }
        }, out);
    }

    @Override
    public void commit(int n) {
        KvChecks.commit(pending, n);
        int end = size + n;
        int pinnedEnd = Math.min(keep, end);
        int from = Math.max(size, Math.max(keep, end - window()));
        for (int l = 0; l < layout.layers(); l++) {
            moveToRing(l, size, pinnedEnd);
            moveToRing(l, from, end);
            pendingKeys[l].truncate(1); // keep one chunk for the next step, free what a long prompt needed
            pendingValues[l].truncate(1);
        }
        size = end;
        Arrays.fill(pending, 0);
    }

    /** Moves pending positions {@code [from, to)} into their ring slots; decode→encode is exact. */
    private void moveToRing(int layer, int from, int to) {
        int count = to - from;
        if (count <= 0) {
            return;
        }
        int need = count * layout.kvDim();
        if (scratch.length < need) {
            scratch = new float[need];
        }
        pendingKeys[layer].read(from - size, count, scratch, 0);
        keys[layer].write(from, scratch, 0, count);
        pendingValues[layer].read(from - size, count, scratch, 0);
        values[layer].write(from, scratch, 0, count);
    }

    @Override
    public boolean canTrim(int n) {
        return n == 0 || (n > 0 && n <= size && size <= maxSize);
    }

    @Override
    public int trim(int n) {
        if (!canTrim(n)) {
            return 0;
        }
        size -= n;
        for (int l = 0; l < layout.layers(); l++) {
            keys[l].truncate(size);
            values[l].truncate(size);
        }
        Arrays.fill(pending, 0);
        return n;
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
    public RotatingKvCache copy() {
        return new RotatingKvCache(this);
    }

    Track keys(int layer) {
        return keys[layer];
    }

    Track values(int layer) {
        return values[layer];
    }

    void restored(int size) {
        this.size = size;
        Arrays.fill(pending, 0);
    }
}
