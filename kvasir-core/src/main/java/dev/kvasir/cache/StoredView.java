package dev.kvasir.cache;

/**
 * The storage side of the cache kinds, for the file format: per-layer tracks addressed by position,
 * which positions a cache holds, and setting the size after rows were written directly.
 */
final class StoredView {
    private StoredView() {
    }

    static Track keys(KvCache cache, int layer) {
        return switch (cache) {
            case LinearKvCache c -> c.keys(layer);
            case RotatingKvCache c -> c.keys(layer);
            default -> throw unsupported(cache);
        };
    }

    static Track values(KvCache cache, int layer) {
        return switch (cache) {
            case LinearKvCache c -> c.values(layer);
            case RotatingKvCache c -> c.values(layer);
            default -> throw unsupported(cache);
        };
    }

    static void restored(KvCache cache, int size) {
        switch (cache) {
            case LinearKvCache c -> c.restored(size);
            case RotatingKvCache c -> c.restored(size);
            default -> throw unsupported(cache);
        }
    }

    /**
     * The positions in {@code [from, size)} a cache of {@code size} positions holds, as
     * {@code {start, count}} pairs in order: all of them, or for a rotating cache the pinned ones and
     * those in the window. Layer 0's; see {@link #held(KvCache, int, int, int)} for caches whose layers differ.
     */
    static int[][] held(KvCache cache, int from, int size) {
        return held(cache, 0, from, size);
    }

    /** {@link #held(KvCache, int, int)} of one layer: a windowed cache's sliding layers hold only their window. */
    static int[][] held(KvCache cache, int layer, int from, int size) {
        if (cache instanceof RotatingKvCache r) {
            int keep = r.keep(layer);
            int pinnedEnd = Math.min(keep, size);
            int windowStart = (int) Math.max(from, Math.max(keep, (long) size - r.window(layer)));
            return segments(from, pinnedEnd, windowStart, size);
        }
        return segments(from, size, size, size);
    }

    /** Whether layers hold different positions, so the file lists segments per layer (format version 2). */
    static boolean perLayer(KvCache cache) {
        return cache instanceof RotatingKvCache r && r.isWindowed();
    }

    private static int[][] segments(int a0, int a1, int b0, int b1) {
        boolean a = a1 > a0;
        boolean b = b1 > b0;
        if (a && b && a1 == b0) {
            return new int[][] {{a0, b1 - a0}};
        }
        if (a && b) {
            return new int[][] {{a0, a1 - a0}, {b0, b1 - b0}};
        }
        if (a) {
            return new int[][] {{a0, a1 - a0}};
        }
        return b ? new int[][] {{b0, b1 - b0}} : new int[0][];
    }

    private static IllegalArgumentException unsupported(KvCache cache) {
        return new IllegalArgumentException("cannot persist a " + cache.getClass().getName());
    }
}
