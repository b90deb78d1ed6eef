package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.tensor.Parallel;

/** Applies {@code --threads} to the engine's compute pool. */
final class Threads {
    private Threads() {}

    static void configure(Integer threads) {
        if (threads == null) {
            return;
        }
        if (threads < 1) {
            throw new KvasirException("--threads must be at least 1, got " + threads);
        }
        Parallel.setThreads(threads);
    }
}
