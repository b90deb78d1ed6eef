package dev.kvasir.tensor;

/**
 * Data-parallel loops on Kvasir's own thread pool (daemon threads, never the common ForkJoinPool, so
 * user code sharing that pool cannot stall inference and vice versa).
 *
 * <p>The calling thread works too, so {@code setThreads(1)} means "no helper threads". Loops that are too
 * small to amortise a hand-off run inline: decode of tiny models issues thousands of small matvecs per
 * second and must not pay a thread wake-up for each.
 */
public final class Parallel {
    private static volatile WorkerPool pool = new WorkerPool(Runtime.getRuntime().availableProcessors());

    private Parallel() {}

    /** Sets the number of threads (including the caller) used by later loops; {@code n >= 1}. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + n);
        }
        if (n == pool.threads()) {
            return;
        }
        WorkerPool old = pool;
        pool = new WorkerPool(n);
        old.shutdown();
    }

    /** The number of threads loops use, including the caller. */
    public static int threads() {
        return pool.threads();
    }

    /** Runs {@code body} over {@code [from, to)} split into chunks across the pool. */
    public static void forRange(int from, int to, IntRangeBody body) {
        forRange(from, to, 1, body);
    }

    /**
     * Like {@link #forRange(int, int, IntRangeBody)}, but never makes a chunk smaller than {@code grain}
     * indices; a range of fewer than {@code 2 * grain} indices runs inline on the caller.
     */
    public static void forRange(int from, int to, int grain, IntRangeBody body) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        WorkerPool p = pool;
        if (n < 2 * Math.max(1, grain) || p.threads() == 1) {
            body.run(from, to);
            return;
        }
        p.run(from, to, Math.max(1, grain), body);
    }
}
