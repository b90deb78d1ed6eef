package dev.kvasir.sample;

/**
 * Everything a {@link Sampler} needs to continue exactly where it was: the (resolved) seed, the RNG
 * state, how many draws were made (informational), and the penalty history, oldest first.
 */
public record SamplerState(long seed, long rngState, long draws, int[] history) {
    public SamplerState {
        history = history.clone();
    }

    @Override
    public int[] history() {
        return history.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamplerState(long s, long r, long d, int[] h)
                && s == seed && r == rngState && d == draws && java.util.Arrays.equals(h, history);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(seed, rngState, draws, java.util.Arrays.hashCode(history));
    }

    @Override
    public String toString() {
        return "SamplerState[seed=" + seed + ", rngState=" + rngState + ", draws=" + draws
                + ", history=" + history.length + " tokens]";
    }
}
