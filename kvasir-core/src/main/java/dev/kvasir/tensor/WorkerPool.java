package dev.kvasir.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon workers that share one loop at a time with the submitting thread.
 *
 * <p>Hand-off must cost about a microsecond (decode runs a few hundred loops per token), so there is no
 * queue and no per-loop allocation: the loop's fields are written, then a generation counter is bumped.
 * Idle workers spin briefly on it before parking. Chunks are claimed with one CAS on
 * {@code claim = generation << 32 | nextChunk}, so a late worker can never run a chunk of a newer loop
 * with an older loop's fields, and a descheduled worker (two cores shared with other processes) only
 * means the caller claims more chunks itself.
 */
final class WorkerPool {
    /** How long an idle worker polls before parking: longer than the gap between two matvecs of a token. */
    private static final long SPIN_NANOS = 50_000;
    /** Chunks per thread: enough to balance when a thread is preempted, few enough to keep claims cheap. */
    private static final int CHUNKS_PER_THREAD = 4;

    private final int threads;
    private final Thread[] workers;
    private final AtomicIntegerArray parked;
    private final AtomicLong claim = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile int generation;
    private volatile boolean stopped;
    private volatile Throwable failure;
    // Written by the submitter before the generation is published; stable while the loop runs.
    private IntRangeBody body;
    private int from;
    private int to;
    private int chunks;

    WorkerPool(int threads) {
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        this.parked = new AtomicIntegerArray(Math.max(0, threads - 1));
        for (int i = 0; i < workers.length; i++) {
            int index = i;
            Thread t = new Worker(() -> workLoop(index), "kvasir-worker-" + (i + 1));
            workers[i] = t;
            t.start();
        }
    }

    int threads() {
        return threads;
    }

    void shutdown() {
        stopped = true;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
    }

    /** Runs the loop; concurrent or nested submissions run inline instead of queueing. */
    void run(int from, int to, int grain, IntRangeBody body) {
        if (Thread.currentThread() instanceof Worker || !busy.compareAndSet(0, 1)) {
            body.run(from, to);
            return;
        }
        try {
            int n = to - from;
            this.body = body;
            this.from = from;
            this.to = to;
            this.chunks = Math.min(threads * CHUNKS_PER_THREAD, Math.max(1, n / grain));
            this.failure = null;
            done.set(0);
            int gen = generation + 1;
            claim.set((long) gen << 32);
            generation = gen;
            wakeWorkers();
            runChunks(gen);
            awaitChunks();
            Throwable f = failure;
            if (f != null) {
                rethrow(f);
            }
        } finally {
            this.body = null;
            busy.set(0);
        }
    }

    private void wakeWorkers() {
        for (int i = 0; i < workers.length; i++) {
            if (parked.get(i) != 0) {
                LockSupport.unpark(workers[i]);
            }
        }
    }

    private void awaitChunks() {
        int spins = 0;
        while (done.get() < chunks) {
            if (++spins < 10_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // a worker holding a chunk was preempted: let it run
            }
        }
    }

    private void runChunks(int gen) {
        while (true) {
            long c = claim.get();
            if ((int) (c >>> 32) != gen) {
                return;
            }
            int chunk = (int) c;
            int total = chunks;
            if (chunk >= total || !claim.compareAndSet(c, c + 1)) {
                if (chunk >= total) {
                    return;
                }
                continue;
            }
            // The claim succeeded for this generation, so the fields below belong to it.
            int n = to - from;
            int lo = from + (int) ((long) n * chunk / total);
            int hi = from + (int) ((long) n * (chunk + 1) / total);
            try {
                body.run(lo, hi);
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            } finally {
                done.incrementAndGet();
            }
        }
    }

    private void workLoop(int index) {
        int seen = 0;
        while (!stopped) {
            int gen = awaitGeneration(index, seen);
            if (gen != seen) {
                seen = gen;
                runChunks(gen);
            }
        }
    }

    private int awaitGeneration(int index, int seen) {
        long start = System.nanoTime();
        while (generation == seen && !stopped) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                // Both "parked" and "generation" are volatile, so either the submitter sees us parked
                // and unparks, or we see its new generation here (Dekker).
                parked.set(index, 1);
                if (generation == seen && !stopped) {
                    LockSupport.park(this);
                }
                parked.set(index, 0);
                start = System.nanoTime();
            }
        }
        return generation;
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    /** Marker type so nested loops started from inside a body run inline. */
    private static final class Worker extends Thread {
        Worker(Runnable task, String name) {
            super(task, name);
            setDaemon(true);
        }
    }
}
