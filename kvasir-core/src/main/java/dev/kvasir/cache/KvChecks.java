package dev.kvasir.cache;

/** Argument checks shared by the cache kinds: misuse by the forward pass is a bug, not user error. */
final class KvChecks {
    private KvChecks() {
    }

    static void append(KvLayout layout, int layer, float[] k, float[] v, int n) {
        checkLayer(layout, layer);
        long need = (long) n * layout.kvDim();
        if (n <= 0 || k.length < need || v.length < need) {
            throw new IllegalArgumentException("append of " + n + " tokens needs k and v of " + need + " floats");
        }
    }

    static void attend(KvLayout layout, int layer, int n, int pending) {
        checkLayer(layout, layer);
        if (n <= 0 || n > pending) {
            throw new IllegalStateException("attend over " + n + " tokens but layer " + layer + " has " + pending + " appended");
        }
    }

    static void commit(int[] pending, int n) {
        for (int l = 0; l < pending.length; l++) {
            if (pending[l] != n) {
                throw new IllegalStateException("commit of " + n + " tokens but layer " + l + " has " + pending[l] + " appended");
            }
        }
    }

    static void stored(KvLayout layout, int layer, int pos, int n, int size) {
        checkLayer(layout, layer);
        if (n <= 0 || pos < 0 || pos + n > size) {
            throw new IndexOutOfBoundsException("positions [" + pos + ", " + (pos + n) + ") of " + size + " committed");
        }
    }

    private static void checkLayer(KvLayout layout, int layer) {
        if (layer < 0 || layer >= layout.layers()) {
            throw new IndexOutOfBoundsException("layer " + layer + " of " + layout.layers());
        }
    }
}
