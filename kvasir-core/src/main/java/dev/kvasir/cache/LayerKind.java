package dev.kvasir.cache;

import dev.kvasir.KvasirException;

/**
 * How far back one layer attends: to every earlier position (full attention), or only to the last
 * {@code window} positions including its own, as llama.cpp's standard sliding-window mask
 * ({@code is_masked_swa}: key {@code p} is hidden from query {@code q} when {@code q - p >= window}).
 */
public sealed interface LayerKind {
    Full FULL = new Full();

    /** The number of most recent positions a query at any position sees ({@link Integer#MAX_VALUE} for full). */
    int window();

    /** The spelling in .kvc headers and {@code cache info}: {@code full} or {@code sliding:W}. */
    String label();

    record Full() implements LayerKind {
        @Override
        public int window() {
            return Integer.MAX_VALUE;
        }

        @Override
        public String label() {
            return "full";
        }
    }

    record Sliding(int window) implements LayerKind {
        public Sliding {
            if (window < 1) {
                throw new KvasirException("a sliding-window layer needs a window of at least 1 position, not " + window);
            }
        }

        @Override
        public String label() {
            return "sliding:" + window;
        }
    }

    /** Parses {@link #label()}; a KvasirException names what is wrong. */
    static LayerKind parse(String label) {
        if (label.equals("full")) {
            return FULL;
        }
        if (label.startsWith("sliding:")) {
            try {
                return new Sliding(Integer.parseInt(label.substring("sliding:".length())));
            } catch (NumberFormatException e) {
                // falls through to the refusal below
            }
        }
        throw new KvasirException("unknown layer kind '" + label + "' (expected full or sliding:W)");
    }
}
