package dev.kvasir.tensor;

/** Per-thread reusable buffers, so kernels on the hot path do not allocate. */
final class Scratch {
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> SCALES = ThreadLocal.withInitial(() -> new float[0]);

    private Scratch() {}

    /** A buffer of at least {@code n} floats owned by the current thread; contents are garbage. */
    static float[] row(int n) {
        return get(ROW, n);
    }

    /** A second buffer, for the decoded block scales of K-quant rows (used while {@link #row} may be in use). */
    static float[] scales(int n) {
        return get(SCALES, n);
    }

    private static float[] get(ThreadLocal<float[]> local, int n) {
        float[] buf = local.get();
        if (buf.length < n) {
            buf = new float[n];
            local.set(buf);
        }
        return buf;
    }
}
