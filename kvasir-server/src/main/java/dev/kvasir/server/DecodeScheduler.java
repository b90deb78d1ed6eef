package dev.kvasir.server;

import dev.kvasir.cache.KvCache;
import dev.kvasir.generate.ForwardPass;
import dev.kvasir.model.Model;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the model for every request on one thread, so that the next tokens of all decoding requests
 * go through as one batch ({@link Model#decodeBatch}): decoding is bound by reading the weights, and
 * a batch of k tokens reads them once instead of k times. Prompts are prefilled in slices between
 * batch steps, so a long prompt holds the running streams up one slice at a time, not all at once.
 * Every request gets exactly the logits it would get alone: a decode batch is bit-identical to
 * single-token forwards, and prefill chunking is batch-invariant.
 *
 * <p>Request threads keep their own sampling, stop strings and cancellation ({@code Generation});
 * they only block here while the model computes their next logits.
 */
final class DecodeScheduler implements AutoCloseable {
    /** Prompt tokens per prefill slice: enough for efficient matrix products, few enough that decoding streams keep flowing. */
    static final int PREFILL_SLICE = 128;
    /** The least time to wait for a sequence still sampling its token before a batch step goes without it. */
    private static final long MIN_LINGER_NANOS = 200_000;
    private static final Logger LOG = LoggerFactory.getLogger(DecodeScheduler.class);

    private final Model model;
    private final ServerMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Decode> decodes = new ArrayDeque<>();
    private final ArrayDeque<Prefill> prefills = new ArrayDeque<>();
    /** Work that needs the model to itself between steps (composing a prompt from cached documents). */
    private final ArrayDeque<Task<?>> tasks = new ArrayDeque<>();
    /** Sequences between {@link #open} and {@link Sequence#close}. */
    private int open;
    /** Jobs of open sequences that are queued: {@code open - waiting} sequences are off sampling or streaming. */
    private int waiting;
    private boolean closed;
    /** Duration of the last decode step; read and written by the model thread only. */
    private long lastStepNanos;
    private final Thread thread;

    DecodeScheduler(Model model, ServerMetrics metrics) {
        this.model = model;
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().name("kvasir-model").daemon().start(this::run);
    }

    /** A generating request: its model calls are batched with those of the other open sequences until it is closed. */
    Sequence open() {
        lock.lock();
        try {
            checkOpen();
            open++;
            return new Sequence();
        } finally {
            lock.unlock();
        }
    }

    /** Feeds {@code tokens[from .. from+n)} after the cache's contents (outside any sequence, e.g. a session save). */
    float[] prefill(int[] tokens, int from, int n, KvCache cache) {
        return submit(tokens, from, n, cache, false);
    }

    /**
     * Runs {@code work} on the model thread between two steps and returns its result: for model calls
     * other than forward passes (a selective recompute), which must not run beside the batched steps.
     */
    <T> T exclusive(java.util.function.Supplier<T> work) {
        Task<T> task = new Task<>(work, new CompletableFuture<>());
        lock.lock();
        try {
            checkOpen();
            tasks.add(task);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            return task.result().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private record Task<T>(java.util.function.Supplier<T> work, CompletableFuture<T> result) {
        void run() {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }
    }

    final class Sequence implements ForwardPass, AutoCloseable {
        private boolean closedSequence;

        private Sequence() {
        }

        @Override
        public float[] forward(int[] tokens, int from, int n, KvCache cache) {
            return submit(tokens, from, n, cache, true);
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!closedSequence) {
                    closedSequence = true;
                    open--;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private record Decode(int token, KvCache cache, boolean counted, CompletableFuture<float[]> result) {
    }

    /** A prompt being prefilled; {@code next} advances slice by slice. */
    private static final class Prefill {
        final int[] tokens;
        final int end;
        final KvCache cache;
        final boolean counted;
        final CompletableFuture<float[]> result = new CompletableFuture<>();
        int next;

        Prefill(int[] tokens, int from, int n, KvCache cache, boolean counted) {
            this.tokens = tokens;
            this.next = from;
            this.end = from + n;
            this.cache = cache;
            this.counted = counted;
        }
    }

    /** Queues the job and waits for its logits; one token is a decode step, more a prefill. */
    private float[] submit(int[] tokens, int from, int n, KvCache cache, boolean counted) {
        CompletableFuture<float[]> result;
        lock.lock();
        try {
            checkOpen();
            if (n == 1) {
                Decode d = new Decode(tokens[from], cache, counted, new CompletableFuture<>());
                decodes.add(d);
                result = d.result();
            } else {
                Prefill p = new Prefill(tokens, from, n, cache, counted);
                prefills.add(p);
                result = p.result;
            }
            if (counted) {
                waiting++;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            return result.join(); // not interruptible: the model may be writing to this cache right now
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw ApiException.overloaded("server is shutting down");
        }
    }

    private void run() {
        while (true) {
            List<Decode> batch;
            Prefill slice;
            Task<?> task;
            lock.lock();
            try {
                while (!closed && decodes.isEmpty() && prefills.isEmpty() && tasks.isEmpty()) {
                    changed.awaitUninterruptibly();
                }
                lingerForStragglers();
                if (closed) {
                    failQueued();
                    return;
                }
                batch = new ArrayList<>(decodes);
                decodes.clear();
                slice = prefills.poll();
                task = tasks.poll();
            } finally {
                lock.unlock();
            }
            if (!batch.isEmpty()) {
                decode(batch);
            }
            if (slice != null) {
                prefillSlice(slice);
            }
            if (task != null) {
                task.run();
            }
        }
    }

    /**
     * Waits until every open sequence has its next job queued, so one step serves them all; but never
     * longer than a step takes, so that a slow client (a blocked stream) delays the others by little.
     */
    private void lingerForStragglers() {
        if (decodes.isEmpty()) {
            return;
        }
        long left = Math.max(MIN_LINGER_NANOS, lastStepNanos);
        try {
            while (!closed && waiting < open && left > 0) {
                left = changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private void decode(List<Decode> batch) {
        int k = batch.size();
        int[] tokens = new int[k];
        KvCache[] caches = new KvCache[k];
        for (int i = 0; i < k; i++) {
            tokens[i] = batch.get(i).token();
            caches[i] = batch.get(i).cache();
        }
        long start = System.nanoTime();
        float[][] logits = null;
        Throwable failure = null;
        try {
            logits = model.decodeBatch(tokens, caches);
        } catch (Throwable e) {
            failure = e;
        }
        lastStepNanos = System.nanoTime() - start;
        metrics.decodeStep(k);
        done(batch.stream().filter(Decode::counted).count());
        for (int i = 0; i < k; i++) {
            complete(batch.get(i).result(), logits == null ? null : logits[i], failure);
        }
    }

    private void prefillSlice(Prefill p) {
        int n = Math.min(PREFILL_SLICE, p.end - p.next);
        float[] logits = null;
        Throwable failure = null;
        try {
            logits = model.forward(p.tokens, p.next, n, p.cache);
            p.next += n;
        } catch (Throwable e) {
            failure = e;
        }
        if (failure == null && p.next < p.end) {
            lock.lock();
            try {
                prefills.addFirst(p); // the oldest prompt first: its request waits least for a first token
            } finally {
                lock.unlock();
            }
            return;
        }
        done(p.counted ? 1 : 0);
        complete(p.result, logits == null ? null : logits.clone(), failure); // forward reuses its logits array
    }

    private void done(long countedJobs) {
        lock.lock();
        try {
            waiting -= (int) countedJobs;
        } finally {
            lock.unlock();
        }
    }

    private static void complete(CompletableFuture<float[]> result, float[] logits, Throwable failure) {
        if (failure == null) {
            result.complete(logits);
        } else {
            if (!(failure instanceof RuntimeException)) {
                LOG.error("model step failed", failure);
            }
            result.completeExceptionally(failure);
        }
    }

    private void failQueued() {
        ApiException shutdown = ApiException.overloaded("server is shutting down");
        decodes.forEach(d -> d.result().completeExceptionally(shutdown));
        prefills.forEach(p -> p.result.completeExceptionally(shutdown));
        tasks.forEach(t -> t.result().completeExceptionally(shutdown));
        tasks.clear();
        decodes.clear();
        prefills.clear();
    }

    /** Finishes the step in progress, fails queued jobs and stops the model thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
