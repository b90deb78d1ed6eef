package dev.kvasir.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code parallel} requests generate at once and at most {@code queue} wait for a turn;
 * beyond that a request is refused at once with 503, so an overloaded server answers quickly
 * instead of piling up connections.
 */
final class Admission {
    private final int parallel;
    private final int queue;
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();

    Admission(int parallel, int queue) {
        this.parallel = parallel;
        this.queue = queue;
        this.slots = new Semaphore(parallel, true);
    }

    /** A taken slot; closing it frees the slot. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** Blocks until a slot is free; the returned handle releases it. */
    Slot enter() {
        if (!slots.tryAcquire()) {
            if (waiting.incrementAndGet() > queue) {
                waiting.decrementAndGet();
                throw ApiException.overloaded("server is busy: " + parallel + " requests running and " + queue
                        + " waiting; retry later or start the server with a larger --parallel");
            }
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.overloaded("server is shutting down");
            } finally {
                waiting.decrementAndGet();
            }
        }
        return slots::release;
    }

    int running() {
        return parallel - slots.availablePermits();
    }

    int waiting() {
        return waiting.get();
    }
}
