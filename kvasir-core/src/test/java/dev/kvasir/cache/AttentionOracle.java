package dev.kvasir.cache;

import java.util.function.DoubleUnaryOperator;

/** Naive scalar attention in double precision, straight from the KvCache javadoc: the reference. */
final class AttentionOracle {
    private AttentionOracle() {
    }

    /**
     * Output of query token {@code i} (at position {@code pos0 + i}) for all heads, over positions
     * with K/V {@code k}, {@code v} ({@code positions × kvDim}, stored values after {@code round}),
     * seeing {@code p <= qp} with {@code p < keep || p > qp - window}.
     */
    static float[] attend(KvLayout layout, float[] k, float[] v, float[] q, int n, int heads, int pos0,
                          int keep, int window, DoubleUnaryOperator round) {
        int hd = layout.headDim();
        int kvDim = layout.kvDim();
        int group = heads / layout.kvHeads();
        float[] out = new float[n * heads * hd];
        for (int i = 0; i < n; i++) {
            int qp = pos0 + i;
            for (int h = 0; h < heads; h++) {
                int g = h / group;
                int qOff = (i * heads + h) * hd;
                double[] s = new double[qp + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int p = 0; p <= qp; p++) {
                    if (!(p < keep || (long) p > (long) qp - window)) {
                        s[p] = Double.NaN;
                        continue;
                    }
                    double dot = 0;
                    for (int d = 0; d < hd; d++) {
                        dot += q[qOff + d] * round.applyAsDouble(k[p * kvDim + g * hd + d]);
                    }
                    s[p] = dot / Math.sqrt(hd);
                    max = Math.max(max, s[p]);
                }
                double total = 0;
                double[] acc = new double[hd];
                for (int p = 0; p <= qp; p++) {
                    if (Double.isNaN(s[p])) {
                        continue;
                    }
                    double e = Math.exp(s[p] - max);
                    total += e;
                    for (int d = 0; d < hd; d++) {
                        acc[d] += e * round.applyAsDouble(v[p * kvDim + g * hd + d]);
                    }
                }
                for (int d = 0; d < hd; d++) {
                    out[qOff + d] = (float) (acc[d] / total);
                }
            }
        }
        return out;
    }

    static double f16(double x) {
        return Float.float16ToFloat(Float.floatToFloat16((float) x));
    }
}
