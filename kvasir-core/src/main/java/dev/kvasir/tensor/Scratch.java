package dev.kvasir.tensor;

/** Per-thread reusable buffers, so kernels on the hot path do not allocate. */
final class Scratch {
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    private Scratch() {}

    /** A buffer of at least {@code n} floats owned by the current thread; contents are garbage. */
    static float[] row(int n) {
        float[] buf = ROW.get();
        if (buf.length < n) {
            buf = new float[n];
            ROW.set(buf);
        }
        return buf;
    }
}
