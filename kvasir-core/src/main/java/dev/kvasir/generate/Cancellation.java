package dev.kvasir.generate;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cancellation handle another thread (a signal handler, an HTTP disconnect) can trip. Generation
 * checks it before each token, so the tokens computed so far stay in the cache.
 */
public final class Cancellation {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public static Cancellation none() {
        return new Cancellation();
    }

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
