package dev.kvasir.model;

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
    private final float[][] tokenEmbd;
    private final float[][] output;
    private final float[] outputNorm;
    private final float[] ropeFreqs;
    private final List<Layer> layers = new ArrayList<>();
    private final List<float[]> keys = new ArrayList<>();   // per position: layers × kvDim
    private final List<float[]> values = new ArrayList<>();

    private record Layer(float[] attnNorm, float[][] q, float[][] k, float[][] v, float[] qBias, float[] kBias,
                         float[] vBias, float[][] o, float[] oBias, float[] ffnNorm, float[][] gate, float[][] up, float[][] down) {
    }

    ReferenceForward(ModelConfig config, ModelWeights w) {
        this.c = config;
        this.tokenEmbd = dense(w.tokenEmbd());
        this.output = w.output() == w.tokenEmbd() ? tokenEmbd : dense(w.output());
        this.outputNorm = w.outputNorm();
        this.ropeFreqs = w.ropeFreqs();
        for (LayerWeights l : w.layers()) {
            layers.add(new Layer(l.attnNorm(), dense(l.attnQ()), dense(l.attnK()), dense(l.attnV()), l.attnQBias(),
                    l.attnKBias(), l.attnVBias(), dense(l.attnOutput()), l.attnOutputBias(), l.ffnNorm(), dense(l.ffnGate()),
                    dense(l.ffnUp()), dense(l.ffnDown())));
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
        for (int l = 0; l < c.blockCount(); l++) {
            Layer w = layers.get(l);
            float[] xn = rmsNorm(x, w.attnNorm());
            float[] q = rope(plus(mul(w.q(), xn), w.qBias()), c.headCount(), pos);
            float[] kl = rope(plus(mul(w.k(), xn), w.kBias()), c.headCountKv(), pos);
            float[] vl = plus(mul(w.v(), xn), w.vBias());
            System.arraycopy(kl, 0, k, l * c.kvDim(), c.kvDim());
            System.arraycopy(vl, 0, v, l * c.kvDim(), c.kvDim());
            float[] attended = plus(mul(w.o(), attention(l, q, pos)), w.oBias());
            for (int i = 0; i < dim; i++) {
                x[i] += attended[i];
            }
            xn = rmsNorm(x, w.ffnNorm());
            float[] g = mul(w.gate(), xn);
            float[] u = mul(w.up(), xn);
            float[] h = new float[g.length];
            for (int i = 0; i < h.length; i++) {
                h[i] = (float) (g[i] / (1 + Math.exp(-g[i])) * u[i]);
            }
            float[] down = mul(w.down(), h);
            for (int i = 0; i < dim; i++) {
                x[i] += down[i];
            }
        }
        return mul(output, rmsNorm(x, outputNorm));
    }

    private float[] attention(int layer, float[] q, int pos) {
        int hd = c.headDim();
        int group = c.headCount() / c.headCountKv();
        float[] out = new float[c.queryDim()];
        for (int h = 0; h < c.headCount(); h++) {
            int kvOff = layer * c.kvDim() + (h / group) * hd;
            double[] scores = new double[pos + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int p = 0; p <= pos; p++) {
                double dot = 0;
                for (int i = 0; i < hd; i++) {
                    dot += (double) q[h * hd + i] * keys.get(p)[kvOff + i];
                }
                scores[p] = dot / Math.sqrt(hd);
                max = Math.max(max, scores[p]);
            }
            double sum = 0;
            for (int p = 0; p <= pos; p++) {
                scores[p] = Math.exp(scores[p] - max);
                sum += scores[p];
            }
            for (int i = 0; i < hd; i++) {
                double acc = 0;
                for (int p = 0; p <= pos; p++) {
                    acc += scores[p] / sum * values.get(p)[kvOff + i];
                }
                out[h * hd + i] = (float) acc;
            }
        }
        return out;
    }

    private float[] rope(float[] x, int heads, int pos) {
        int hd = c.headDim();
        int half = c.ropeDimensions() / 2;
        // decided here from the architecture, independently of Architecture.ropeMode()
        boolean neox = c.architecture() == Architecture.QWEN2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                int a = h * hd + (neox ? i : 2 * i);
                int b = neox ? a + half : a + 1;
                double theta = pos * c.ropeFreqScale() * Math.pow(c.ropeFreqBase(), -2.0 * i / c.ropeDimensions())
                        / (ropeFreqs == null ? 1 : ropeFreqs[i]);
                double x0 = x[a];
                double x1 = x[b];
                x[a] = (float) (x0 * Math.cos(theta) - x1 * Math.sin(theta));
                x[b] = (float) (x0 * Math.sin(theta) + x1 * Math.cos(theta));
            }
        }
        return x;
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
