package dev.kvasir.model;

import dev.kvasir.tensor.GgmlGelu;
import dev.kvasir.tensor.WeightMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The oracle: the same decoder written the obvious way. Every weight is dequantized to a float
 * matrix once; each token goes through naive loops with double accumulation; keys and values live
 * in plain arrays; RoPE angles are computed directly as {@code pos · base^(-2i/nRot)} in double.
 * It shares only the configuration, the tensor lookup and the dequantization with the fast path.
 */
final class ReferenceForward {
    private final ModelConfig c;
    private final DecoderSpec spec;
    private final float[][] tokenEmbd;
    private final float[][] output;
    private final float[] outputNorm;
    private final float[] ropeFreqs;
    private final List<Layer> layers = new ArrayList<>();
    private final List<float[]> keys = new ArrayList<>();   // per position: layers × kvDim
    private final List<float[]> values = new ArrayList<>();

    private record Layer(float[] attnNorm, float[][] q, float[][] k, float[][] v, float[] qBias, float[] kBias,
                         float[] vBias, float[] qNorm, float[] kNorm, float[][] o, float[] oBias, float[] ffnNorm,
                         float[][] gate, float[][] up, float[][] down, float[] attnPostNorm, float[] ffnPostNorm) {
    }

    /** A llama/qwen2 oracle: plain RoPE from the config, no per-layer choices. */
    ReferenceForward(ModelConfig config, ModelWeights w) {
        this(config, w, null);
    }

    /** An oracle for any family: per-layer RoPE (or NoPE), scales and multipliers come from {@code spec}. */
    ReferenceForward(ModelConfig config, ModelWeights w, DecoderSpec spec) {
        this.c = config;
        this.spec = spec;
        this.tokenEmbd = dense(w.tokenEmbd());
        this.output = w.output() == w.tokenEmbd() ? tokenEmbd : dense(w.output());
        this.outputNorm = w.outputNorm();
        this.ropeFreqs = w.ropeFreqs();
        for (LayerWeights l : w.layers()) {
            layers.add(new Layer(l.attnNorm(), dense(l.attnQ()), dense(l.attnK()), dense(l.attnV()), l.attnQBias(),
                    l.attnKBias(), l.attnVBias(), l.attnQNorm(), l.attnKNorm(), dense(l.attnOutput()), l.attnOutputBias(), l.ffnNorm(), dense(l.ffnGate()),
                    dense(l.ffnUp()), dense(l.ffnDown()), l.attnPostNorm(), l.ffnPostNorm()));
        }
    }

    int size() {
        return keys.size();
    }

    /** Feeds one token at the next position; returns its logits. */
    float[] next(int token) {
        int pos = keys.size();
        int dim = c.embeddingLength();
        float[] k = new float[c.blockCount() * c.kvDim()];
        float[] v = new float[c.blockCount() * c.kvDim()];
        keys.add(k);
        values.add(v);
        float[] x = tokenEmbd[token].clone();
        double embScale = spec == null ? 1 : spec.embeddingScale();
        for (int i = 0; i < dim; i++) {
            x[i] = (float) (x[i] * embScale);
        }
        for (int l = 0; l < c.blockCount(); l++) {
            Layer w = layers.get(l);
            LayerSpec ls = spec == null ? null : spec.layer(l);
            double residual = ls == null ? 1 : ls.residualScale();
            float[] xn = rmsNorm(x, w.attnNorm());
            float[] q = rope(headNorm(plus(mul(w.q(), xn), w.qBias()), w.qNorm()), c.headCount(), pos, ls);
            float[] kl = rope(headNorm(plus(mul(w.k(), xn), w.kBias()), w.kNorm()), c.headCountKv(), pos, ls);
            float[] vl = plus(mul(w.v(), xn), w.vBias());
            System.arraycopy(kl, 0, k, l * c.kvDim(), c.kvDim());
            System.arraycopy(vl, 0, v, l * c.kvDim(), c.kvDim());
            double scale = ls == null ? 1 / Math.sqrt(c.headDim()) : ls.attentionScale();
            if (ls != null && ls.queryScale() != 1f) {
                for (int i = 0; i < q.length; i++) {
                    q[i] = (float) (q[i] * (double) ls.queryScale());
                }
            }
            float[] attended = plus(mul(w.o(), attention(l, q, pos, scale, ls)), w.oBias());
            if (w.attnPostNorm() != null) {
                attended = rmsNorm(attended, w.attnPostNorm());
            }
            for (int i = 0; i < dim; i++) {
                x[i] += (float) (attended[i] * residual);
            }
            xn = rmsNorm(x, w.ffnNorm());
            float[] g = mul(w.gate(), xn);
            float[] u = mul(w.up(), xn);
            float[] h = new float[g.length];
            boolean gelu = ls != null && ls.activation() == LayerSpec.Activation.GELU;
            for (int i = 0; i < h.length; i++) {
                // GELU as ggml rounds it (the F16 table; GgmlGeluTest checks the table against the formula)
                h[i] = gelu ? GgmlGelu.of(g[i]) * u[i] : (float) (g[i] / (1 + Math.exp(-g[i])) * u[i]);
            }
            float[] down = mul(w.down(), h);
            if (w.ffnPostNorm() != null) {
                down = rmsNorm(down, w.ffnPostNorm());
            }
            for (int i = 0; i < dim; i++) {
                x[i] += (float) (down[i] * residual);
            }
        }
        float[] logits = mul(output, rmsNorm(x, outputNorm));
        if (spec != null) {
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) (logits[i] * (double) spec.logitScale());
                if (spec.finalLogitSoftCap() != 0f) {
                    double cap = spec.finalLogitSoftCap();
                    logits[i] = (float) (cap * Math.tanh(logits[i] / cap));
                }
            }
        }
        return logits;
    }

    /** Per-head RMS norm with a shared gain of headDim values (qwen3's Q/K norm); identity without a gain. */
    private float[] headNorm(float[] x, float[] gain) {
        if (gain == null) {
            return x;
        }
        int hd = c.headDim();
        float[] out = new float[x.length];
        for (int h = 0; h < x.length / hd; h++) {
            float[] head = rmsNorm(java.util.Arrays.copyOfRange(x, h * hd, (h + 1) * hd), gain);
            System.arraycopy(head, 0, out, h * hd, hd);
        }
        return out;
    }

    /** Causal attention; a sliding-window layer sees positions {@code p > pos - window}; gemma2 soft-caps the logits. */
    private float[] attention(int layer, float[] q, int pos, double scale, LayerSpec ls) {
        int first = ls == null || ls.slidingWindow() == 0 ? 0 : Math.max(0, pos - ls.slidingWindow() + 1);
        double cap = ls == null ? 0 : ls.attnSoftCap();
        int hd = c.headDim();
        int group = c.headCount() / c.headCountKv();
        float[] out = new float[c.queryDim()];
        for (int h = 0; h < c.headCount(); h++) {
            int kvOff = layer * c.kvDim() + (h / group) * hd;
            double[] scores = new double[pos + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int p = first; p <= pos; p++) {
                double dot = 0;
                for (int i = 0; i < hd; i++) {
                    dot += (double) q[h * hd + i] * keys.get(p)[kvOff + i];
                }
                scores[p] = cap == 0 ? dot * scale : cap * Math.tanh(dot * scale / cap);
                max = Math.max(max, scores[p]);
            }
            double sum = 0;
            for (int p = first; p <= pos; p++) {
                scores[p] = Math.exp(scores[p] - max);
                sum += scores[p];
            }
            for (int i = 0; i < hd; i++) {
                double acc = 0;
                for (int p = first; p <= pos; p++) {
                    acc += scores[p] / sum * values.get(p)[kvOff + i];
                }
                out[h * hd + i] = (float) acc;
            }
        }
        return out;
    }

    /**
     * RoPE in double from the layer's spec (null: NoPE); without a spec, from the config with the
     * pairing decided here from the architecture, independently of Architecture.ropeMode().
     * YaRN follows the formula of its paper (interpolation ramp between the correction dims, magnitude
     * 1 + 0.1 ln(factor)), LongRoPE divides by its factors and scales by attn_factor.
     */
    private float[] rope(float[] x, int heads, int pos, LayerSpec ls) {
        RopeSpec r;
        if (ls == null) {
            boolean neox = c.architecture() == Architecture.QWEN2;
            r = RopeSpec.plain(neox ? RopeMode.NEOX : RopeMode.NORMAL, c.ropeDimensions(), c.ropeFreqBase(),
                    c.ropeFreqScale(), ropeFreqs);
        } else if (ls.rope() == null) {
            return x;
        } else {
            r = ls.rope();
        }
        int hd = c.headDim();
        int half = r.dims() / 2;
        boolean neox = r.mode() == RopeMode.NEOX;
        double mscale = r.attnFactor() * (r.extFactor() != 0 ? 1 + 0.1 * Math.log(1 / r.freqScale()) : 1);
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                int a = h * hd + (neox ? i : 2 * i);
                int b = neox ? a + half : a + 1;
                double extrapolated = pos * Math.pow(r.freqBase(), -2.0 * i / r.dims())
                        / (r.freqFactors() == null ? 1 : r.freqFactors()[i]);
                double theta = r.freqScale() * extrapolated;
                if (r.extFactor() != 0) {
                    double low = Math.max(0, Math.floor(yarnDim(r, r.betaFast())));
                    double high = Math.min(r.dims() - 1, Math.ceil(yarnDim(r, r.betaSlow())));
                    double ramp = 1 - Math.min(1, Math.max(0, (i - low) / Math.max(0.001, high - low)));
                    double mix = ramp * r.extFactor();
                    theta = theta * (1 - mix) + extrapolated * mix;
                }
                double x0 = x[a];
                double x1 = x[b];
                x[a] = (float) ((x0 * Math.cos(theta) - x1 * Math.sin(theta)) * mscale);
                x[b] = (float) ((x0 * Math.sin(theta) + x1 * Math.cos(theta)) * mscale);
            }
        }
        return x;
    }

    /** The dimension whose wavelength spans {@code rotations} turns over the original context (YaRN). */
    private static double yarnDim(RopeSpec r, double rotations) {
        return r.dims() * Math.log(r.origContext() / (rotations * 2 * Math.PI)) / (2 * Math.log(r.freqBase()));
    }

    private float[] rmsNorm(float[] x, float[] weight) {
        double sum = 0;
        for (float v : x) {
            sum += (double) v * v;
        }
        double scale = 1 / Math.sqrt(sum / x.length + c.rmsNormEps());
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (x[i] * scale * weight[i]);
        }
        return out;
    }

    private static float[] mul(float[][] m, float[] x) {
        float[] out = new float[m.length];
        for (int r = 0; r < m.length; r++) {
            double acc = 0;
            for (int i = 0; i < x.length; i++) {
                acc += (double) m[r][i] * x[i];
            }
            out[r] = (float) acc;
        }
        return out;
    }

    private static float[] plus(float[] x, float[] bias) {
        if (bias != null) {
            for (int i = 0; i < x.length; i++) {
                x[i] += bias[i];
            }
        }
        return x;
    }

    private static float[][] dense(WeightMatrix w) {
        float[][] rows = new float[w.rows()][w.cols()];
        for (int r = 0; r < w.rows(); r++) {
            w.dequantizeRow(r, rows[r], 0);
        }
        return rows;
    }
}
