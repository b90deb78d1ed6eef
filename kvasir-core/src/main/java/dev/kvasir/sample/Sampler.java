package dev.kvasir.sample;

import java.security.SecureRandom;

/**
 * Chooses the next token from logits the way llama.cpp's default sampler chain does: penalties,
 * then top-k, top-p, min-p, temperature, and a random draw, or the most likely token when the
 * temperature is {@code <= 0}. Not thread-safe: one sampler per generated sequence.
 *
 * <p>{@link #sample} does not record the token; call {@link #accept} for every token that becomes
 * part of the sequence (prompt tokens too, as llama-server does, if they should count for penalties).
 * {@link #state()} and {@link #restore} let a checkpointed generation resume with identical draws.
 */
public final class Sampler {
    private final SamplerSettings settings;
    private final long seed;
    private final SplitMix64 rng;
    private final Penalties penalties;
    private long draws;

    public Sampler(SamplerSettings settings) {
        this(settings, resolveSeed(settings.seed()), null, 0, new int[0]);
    }

    private Sampler(SamplerSettings settings, long seed, Long rngState, long draws, int[] history) {
        this.settings = settings;
        this.seed = seed;
        this.rng = new SplitMix64(rngState != null ? rngState : seed);
        this.draws = draws;
        this.penalties = new Penalties(settings, history);
    }

    /** A sampler that continues exactly where the one that produced {@code state} was. */
    public static Sampler restore(SamplerSettings settings, SamplerState state) {
        return new Sampler(settings, state.seed(), state.rngState(), state.draws(), state.history());
    }

    private static long resolveSeed(long seed) {
        return seed == SamplerSettings.RANDOM_SEED ? new SecureRandom().nextLong() : seed;
    }

    public SamplerSettings settings() {
        return settings;
    }

    /** The seed in use: the configured one, or the one picked for {@link SamplerSettings#RANDOM_SEED}. */
    public long seed() {
        return seed;
    }

    public SamplerState state() {
        return new SamplerState(seed, rng.state(), draws, penalties.history());
    }

    /** Records a token of the sequence for the penalties. */
    public void accept(int token) {
        penalties.accept(token);
    }

    /** The next token for these logits (not modified). */
    public int sample(float[] logits) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("no logits to sample from");
        }
        float[] penalized = logits.clone();
        penalties.apply(penalized);
        if (settings.isGreedy()) {
            return argmax(penalized);
        }
        Candidates candidates = Candidates.top(penalized, settings.topK());
        candidates.topP(settings.topP());
        candidates.minP(settings.minP());
        candidates.temperature(settings.temperature());
        draws++;
        return candidates.pick(rng.nextDouble());
    }

    /** Index of the largest value; the lowest index among equals, like llama.cpp's greedy sampler. */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
