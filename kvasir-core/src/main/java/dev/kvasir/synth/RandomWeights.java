package dev.kvasir.synth;

import java.util.SplittableRandom;

/**
 * Reproducible normal(0, sigma) weights, generated row block by row block so a multi-GB tensor is
 * never in memory. sigma 0.02 is the usual initialization scale: activations of a deep stack stay finite.
 */
record RandomWeights(long seed, float sigma) {
    static final float DEFAULT_SIGMA = 0.02f;

    /** Fills {@code dst} with the values of one tensor's row block; each (tensor, block) has its own stream. */
    void fill(String tensor, int block, float[] dst) {
        SplittableRandom random = new SplittableRandom(seed ^ tensor.hashCode() * 0x9E3779B97F4A7C15L ^ (long) block << 32);
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (float) (random.nextGaussian() * sigma);
        }
    }
}
