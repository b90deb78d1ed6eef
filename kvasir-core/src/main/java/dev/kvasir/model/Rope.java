package dev.kvasir.model;

/**
 * Rotary position embedding as ggml computes it: the pair {@code i} of a head at position
 * {@code p} turns by {@code p · scale · base^(-2i/nRot) / factor[i]}, where {@code scale} is the
 * linear RoPE scaling and {@code factor} the optional per-pair divisors of {@code rope_freqs.weight}
 * (Llama 3.1's long-context frequencies). Angles are built by repeated multiplication in
 * float like ggml's rope cache, so positions rotate bit-for-bit the way llama.cpp rotates them.
 *
 * <p>{@link #prepare} computes cos/sin for a batch of positions once; {@link #rotate} then applies
 * them to Q and K of every layer. Not thread-safe: one instance per forward pass.
 */
final class Rope {
    private final RopeMode mode;
    private final int nRot;
    private final float thetaScale;
    private final float freqScale;
    private final float[] freqFactors;
    private final float extFactor;
    private final float mscale;
    private final float[] corrDims;
    private float[] cos = new float[0];
    private float[] sin = new float[0];

    /** {@code freqFactors}: nRot/2 divisors, or null for none. */
    Rope(RopeMode mode, int nRot, float freqBase, float freqScale, float[] freqFactors) {
        this(RopeSpec.plain(mode, nRot, freqBase, freqScale, freqFactors));
    }

    Rope(RopeSpec spec) {
        this.mode = spec.mode();
        this.nRot = spec.dims();
        this.thetaScale = (float) Math.pow(spec.freqBase(), -2.0 / nRot);
        this.freqScale = spec.freqScale();
        this.freqFactors = spec.freqFactors();
        this.extFactor = spec.extFactor();
        // rope_yarn: with extrapolation the magnitude also grows by 1 + 0.1 ln(1/scale)
        this.mscale = extFactor != 0 ? spec.attnFactor() * (1f + 0.1f * (float) Math.log(1f / freqScale)) : spec.attnFactor();
        this.corrDims = extFactor != 0 ? spec.yarnCorrDims() : null;
    }

    /** Computes the rotation of positions {@code pos0 .. pos0+n-1}. */
    void prepare(int pos0, int n) {
        reserve(n);
        for (int t = 0; t < n; t++) {
            angles(t, pos0 + t);
        }
    }

    /** Computes the rotation of token {@code t} at {@code positions[t]}: a batch of sequences, each at its own position. */
    void prepare(int[] positions) {
        reserve(positions.length);
        for (int t = 0; t < positions.length; t++) {
            angles(t, positions[t]);
        }
    }

    private void reserve(int n) {
        int half = nRot / 2;
        if (cos.length < n * half) {
            cos = new float[n * half];
            sin = new float[n * half];
        }
    }

    private void angles(int t, int position) {
        int half = nRot / 2;
        float theta = position;
        for (int i = 0; i < half; i++) {
            float extrapolated = freqFactors == null ? theta : theta / freqFactors[i];
            float angle = freqScale * extrapolated;
            if (extFactor != 0) {
                float rampMix = ramp(i) * extFactor;
                angle = angle * (1 - rampMix) + extrapolated * rampMix;
            }
            cos[t * half + i] = (float) Math.cos(angle) * mscale;
            sin[t * half + i] = (float) Math.sin(angle) * mscale;
            theta *= thetaScale;
        }
    }

    /** YaRN's ramp between the correction dims, over pair index i (ggml's rope_yarn_ramp with i0 / 2 = i). */
    private float ramp(int i) {
        float y = (i - corrDims[0]) / Math.max(0.001f, corrDims[1] - corrDims[0]);
        return 1 - Math.min(1, Math.max(0, y));
    }

    /** Rotates {@code n} tokens × {@code heads} heads of size {@code headDim} in {@code x} (token-major) in place. */
    void rotate(float[] x, int n, int heads, int headDim) {
        int half = nRot / 2;
        // NORMAL pairs neighbours; NEOX pairs values half the rotated span apart
        int pairStride = mode == RopeMode.NORMAL ? 2 : 1;
        int partnerOffset = mode == RopeMode.NORMAL ? 1 : half;
        for (int t = 0; t < n; t++) {
            for (int h = 0; h < heads; h++) {
                int base = (t * heads + h) * headDim;
                for (int i = 0; i < half; i++) {
                    int a = base + i * pairStride;
                    int b = a + partnerOffset;
                    float c = cos[t * half + i];
                    float s = sin[t * half + i];
                    float x0 = x[a];
                    float x1 = x[b];
                    x[a] = x0 * c - x1 * s;
                    x[b] = x0 * s + x1 * c;
                }
            }
        }
    }
}
