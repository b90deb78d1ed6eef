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
 *
 * <p>{@link #windowed} makes the per-layer variant for models with sliding-window layers (Gemma 2/3):
 * each sliding layer keeps only its window ({@code keep} 0, window W: exactly what llama.cpp's mask
 * lets it see, so continuation is exact), each full layer keeps every position.
 */
public final class RotatingKvCache implements KvCache {
    private final KvLayout layout;
    private final GgmlType type;
    private final int maxSize;
    private final int keep;
    /** Per layer: positions pinned, and the length of the sliding window after them. */
    private final int[] keeps;
    private final int[] windows;
    private final Scoring standard;
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
        this(layout, checked(layout, maxSize, keep), keep, type, filled(layout, keep), filled(layout, maxSize - keep));
    }

    private static int checked(KvLayout layout, int maxSize, int keep) {
        if (keep < 0 || maxSize <= keep) {
            throw new IllegalArgumentException("rotating cache needs 0 <= keep < maxSize, got keep "
                    + keep + ", maxSize " + maxSize);
        }
        if (layout.hasSlidingLayers()) {
            throw new IllegalArgumentException("a rotating cache cannot hold a model with sliding-window layers;"
                    + " use a full or windowed cache");
        }
        return maxSize;
    }

    /** Sliding-window layers keep their window only, full layers every position (maxSize and keep are 0). */
    public static RotatingKvCache windowed(KvLayout layout, GgmlType type) {
        int layers = layout.layers();
        int[] keeps = new int[layers];
        int[] windows = new int[layers];
        for (int l = 0; l < layers; l++) {
            boolean sliding = layout.kind(l) instanceof LayerKind.Sliding;
            keeps[l] = sliding ? 0 : Integer.MAX_VALUE; // a full layer pins everything: slot = position
            windows[l] = sliding ? layout.window(l) : 1;
        }
        return new RotatingKvCache(layout, 0, 0, type, keeps, windows);
    }

    private static int[] filled(KvLayout layout, int value) {
        int[] a = new int[layout.layers()];
        Arrays.fill(a, value);
        return a;
    }

    private RotatingKvCache(KvLayout layout, int maxSize, int keep, GgmlType type, int[] keeps, int[] windows) {
        this.layout = layout;
        this.type = type;
        this.maxSize = maxSize;
        this.keep = keep;
        this.keeps = keeps;
        this.windows = windows;
        this.standard = Scoring.standard(layout.headDim());
        int layers = layout.layers();
        this.keys = new RingTrack[layers];
        this.values = new RingTrack[layers];
        this.pendingKeys = new Rows<?>[layers];
        this.pendingValues = new Rows<?>[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = new RingTrack(FullKvCache.newRows(type, layout.kvDim()), keeps[l], windows[l]);
            values[l] = new RingTrack(FullKvCache.newRows(type, layout.kvDim()), keeps[l], windows[l]);
            pendingKeys[l] = FullKvCache.newRows(type, layout.kvDim());
            pendingValues[l] = FullKvCache.newRows(type, layout.kvDim());
        }
        this.pending = new int[layers];
        this.attention = new Attention(layout, type);
    }

    private RotatingKvCache(RotatingKvCache other) {
        this(other.layout, other.maxSize, other.keep, other.type, other.keeps.clone(), other.windows.clone());
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

    /** Whether this is the per-layer variant of {@link #windowed}. */
    public boolean isWindowed() {
        return maxSize == 0;
    }

    /** Leading positions {@code layer} pins ({@link Integer#MAX_VALUE}: a full layer of a windowed cache). */
    int keep(int layer) {
        return keeps[layer];
    }

    /** Positions of {@code layer}'s sliding window after the pinned ones. */
    int window(int layer) {
        return windows[layer];
    }

    /** The first non-pinned position still held: positions {@code [windowStart(), size())} are kept. */
    public int windowStart() {
        return windowStart(0);
    }

    /** The first non-pinned position {@code layer} still holds. */
    public int windowStart(int layer) {
        return (int) Math.max(keeps[layer], (long) size - windows[layer]);
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
        attend(layer, q, n, heads, standard, out);
    }

    @Override
    public void attend(int layer, float[] q, int n, int heads, Scoring scoring, float[] out) {
        KvChecks.attend(layout, layer, n, pending[layer]);
        attention.attend(q, n, heads, size, keeps[layer], windows[layer], scoring, (pos, count, kd, vd, off) -> {
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
        for (int l = 0; l < layout.layers(); l++) {
            int pinnedEnd = Math.min(keeps[l], end);
            int from = (int) Math.max(size, Math.max(keeps[l], (long) end - windows[l]));
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
        return n == 0 || (n > 0 && n <= size && evicted() == 0);
    }

    /** Positions some layer no longer holds (0 while trimming is still exact). */
    public int evicted() {
        long most = 0;
        for (int l = 0; l < layout.layers(); l++) {
            most = Math.max(most, size - ((long) keeps[l] + windows[l]));
        }
        return (int) most;
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
