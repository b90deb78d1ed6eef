package dev.kvasir.model;

import java.util.Arrays;

/**
 * One rotary position embedding, with every parameter of ggml's {@code ggml_rope_ext}: a layer's
 * {@link LayerSpec} points at one (or at none: a NoPE layer). Layers that share a spec share its
 * cos/sin tables.
 *
 * @param mode        which head values rotate together
 * @param dims        how many leading values of each head rotate (the rest pass through)
 * @param freqBase    base of the per-pair frequencies
 * @param freqScale   linear position scale (1 = none; the inverse of {@code rope.scaling.factor})
 * @param freqFactors per-pair frequency divisors ({@code rope_freqs}, LongRoPE's long or short factors), or null
 * @param extFactor   YaRN's extrapolation mix (0 = plain RoPE, 1 for {@code rope.scaling.type yarn})
 * @param attnFactor  magnitude scale of cos/sin (YaRN's, LongRoPE's {@code rope.scaling.attn_factor}; 1 = none)
 * @param betaFast    YaRN's correction range, fast end
 * @param betaSlow    YaRN's correction range, slow end
 * @param origContext YaRN's original training context ({@code rope.scaling.original_context_length})
 */
public record RopeSpec(RopeMode mode, int dims, float freqBase, float freqScale, float[] freqFactors, float extFactor,
                       float attnFactor, float betaFast, float betaSlow, int origContext) {

    /** llama.cpp's defaults for YaRN's beta parameters (llama_hparams.yarn_beta_fast / _slow). */
    static final float BETA_FAST = 32f;
    static final float BETA_SLOW = 1f;

    /** Plain RoPE with optional linear scaling and per-pair divisors (llama, qwen2 and most families). */
    static RopeSpec plain(RopeMode mode, int dims, float base, float freqScale, float[] freqFactors) {
        return new RopeSpec(mode, dims, base, freqScale, freqFactors, 0f, 1f, BETA_FAST, BETA_SLOW, 0);
    }

    /** The RoPE a file's standard {@code rope.*} keys describe (see {@link RopeScaling}), with the given divisors. */
    static RopeSpec of(ModelConfig c, RopeMode mode, float[] freqFactors) {
        RopeScaling s = c.ropeScaling();
        return new RopeSpec(mode, c.ropeDimensions(), c.ropeFreqBase(), c.ropeFreqScale(), freqFactors,
                s.extFactor(), s.attnFactor(c.ropeFreqScale()), BETA_FAST, BETA_SLOW, s.origContext());
    }

    /** YaRN's start and end correction dims, as ggml_rope_yarn_corr_dims computes them (in float). */
    float[] yarnCorrDims() {
        float start = (float) Math.floor(corrDim(betaFast));
        float end = (float) Math.ceil(corrDim(betaSlow));
        return new float[] {Math.max(0, start), Math.min(dims - 1, end)};
    }

    private float corrDim(float nRot) {
        return dims * (float) Math.log(origContext / (nRot * 2 * (float) Math.PI)) / (2 * (float) Math.log(freqBase));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RopeSpec r && mode == r.mode && dims == r.dims && freqBase == r.freqBase
                && freqScale == r.freqScale && Arrays.equals(freqFactors, r.freqFactors) && extFactor == r.extFactor
                && attnFactor == r.attnFactor && betaFast == r.betaFast && betaSlow == r.betaSlow
                && origContext == r.origContext;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(freqFactors) + java.util.Objects.hash(mode, dims, freqBase, freqScale, extFactor,
                attnFactor, betaFast, betaSlow, origContext);
    }

    @Override
    public String toString() {
        return "RopeSpec[" + mode + ", dims " + dims + ", base " + freqBase + ", scale " + freqScale
                + (freqFactors != null ? ", factors" : "") + (extFactor != 0 ? ", yarn" : "") + "]";
    }
}
