package dev.kvasir.cli;

import dev.kvasir.KvasirException;

/** Applies {@code --threads}. */
final class Threads {
    private Threads() {}

    static void configure(Integer threads) {
        if (threads == null) {
            return;
        }
        if (threads < 1) {
            throw new KvasirException("--threads must be at least 1, got " + threads);
        }
        // TODO(gen): dev.kvasir.tensor.Parallel.setThreads(threads) once the tensor package lands on main
    }
}
