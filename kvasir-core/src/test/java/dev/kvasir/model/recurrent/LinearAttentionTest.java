package dev.kvasir.model.recurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kvasir.tensor.GgmlType;
import dev.kvasir.tensor.WeightMatrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearAttentionTest {
    private static final LinearAttentionShape SHAPE = new LinearAttentionShape(16, 2, 4, 8, 4, 1e-6f);
    private static final int TOKENS = 21;

    private final Random random = new Random(2026);
    private final float[] attnQkv = gaussian(SHAPE.convChannels() * SHAPE.embd(), 0.3);
    private final float[] attnGate = gaussian(SHAPE.valueDim() * SHAPE.embd(), 0.3);
    private final float[] ssmBeta = gaussian(SHAPE.vHeads() * SHAPE.embd(), 0.3);
    private final float[] ssmAlpha = gaussian(SHAPE.vHeads() * SHAPE.embd(), 0.3);
    private final float[] ssmDt = gaussian(SHAPE.vHeads(), 0.5);
    private final float[] ssmA = negativeExp(gaussian(SHAPE.vHeads(), 0.5));
    private final float[] ssmConv1d = gaussian(SHAPE.convChannels() * SHAPE.convKernel(), 0.5);
    private final float[] ssmNorm = gaussian(SHAPE.headDim(), 0.1, 1.0);
    private final float[] ssmOut = gaussian(SHAPE.embd() * SHAPE.valueDim(), 0.3);
    private final float[] x = gaussian(TOKENS * SHAPE.embd(), 1.0);
    private final LinearAttention layer = new LinearAttention(SHAPE, new LinearAttentionWeights(
            matrix(attnQkv, SHAPE.convChannels()), matrix(attnGate, SHAPE.valueDim()),
            matrix(ssmBeta, SHAPE.vHeads()), matrix(ssmAlpha, SHAPE.vHeads()), ssmDt, ssmA, ssmConv1d, ssmNorm,
            matrix(ssmOut, SHAPE.embd())));

    @Test
    void matchesTheLayerWrittenOutInDoublePrecision() {
        float[] out = new float[TOKENS * SHAPE.embd()];
        layer.forward(x, TOKENS, out, LinearAttentionState.zeros(SHAPE));
        double[] expected = reference();
        double largest = Arrays.stream(expected).map(Math::abs).max().orElseThrow();
        assertThat(largest).as("outputs are not degenerate").isGreaterThan(0.05);
        for (int i = 0; i < out.length; i++) {
            assertThat((double) out[i]).as("token %d dim %d", i / SHAPE.embd(), i % SHAPE.embd())
                    .isCloseTo(expected[i], within(1e-4));
        }
    }

    @Test
    void chunksAndSingleTokensGiveTheOnePassOutputsAndStateBitForBit() {
        float[] whole = new float[TOKENS * SHAPE.embd()];
        LinearAttentionState onePass = LinearAttentionState.zeros(SHAPE);
        layer.forward(x, TOKENS, whole, onePass);

        for (int[] chunks : new int[][] {{8, 13}, {1, 1, 1, 1, 17}, {3, 5, 7, 6}}) {
            LinearAttentionState state = LinearAttentionState.zeros(SHAPE);
            float[] out = new float[whole.length];
            int start = 0;
            for (int n : chunks) {
                float[] in = Arrays.copyOfRange(x, start * SHAPE.embd(), (start + n) * SHAPE.embd());
                float[] part = new float[in.length];
                layer.forward(in, n, part, state);
                System.arraycopy(part, 0, out, start * SHAPE.embd(), part.length);
                start += n;
            }
            assertThat(out).as("chunks %s", Arrays.toString(chunks)).containsExactly(whole);
            assertThat(state).isEqualTo(onePass);
        }
    }

    @Test
    void aSnapshotIsTheConvHistoryPlusOneMatrixPerValueHead() {
        LinearAttentionState state = LinearAttentionState.zeros(SHAPE);
        assertThat(state.bytes()).isEqualTo(4L * (3 * SHAPE.convChannels() + 4 * 8 * 8));
        LinearAttentionState snapshot = state.copy();
        layer.forward(x, 2, new float[2 * SHAPE.embd()], state);
        assertThat(snapshot).isEqualTo(LinearAttentionState.zeros(SHAPE)).isNotEqualTo(state);
    }

    /** The layer in double precision with the delta-net matrix in its natural S[key][value] layout. */
    private double[] reference() {
        int embd = SHAPE.embd(), ch = SHAPE.convChannels(), kernel = SHAPE.convKernel(), d = SHAPE.headDim();
        int kh = SHAPE.kHeads(), vh = SHAPE.vHeads();
        double eps = SHAPE.eps();
        double[][] qkv = new double[TOKENS][];
        double[][][] s = new double[vh][d][d];
        double[] result = new double[TOKENS * embd];
        for (int t = 0; t < TOKENS; t++) {
            qkv[t] = project(attnQkv, ch, t);
            double[] z = project(attnGate, SHAPE.valueDim(), t);
            double[] b = project(ssmBeta, vh, t);
            double[] a = project(ssmAlpha, vh, t);
            double[] mixed = new double[ch];
            for (int c = 0; c < ch; c++) {
                double sum = 0;
                for (int i = 0; i < kernel; i++) {
                    int src = t - (kernel - 1) + i;
                    sum += (src < 0 ? 0 : qkv[src][c]) * ssmConv1d[c * kernel + i];
                }
                mixed[c] = sum / (1 + Math.exp(-sum));
            }
            double[] gated = new double[SHAPE.valueDim()];
            for (int h = 0; h < vh; h++) {
                double[] q = unit(mixed, (h % kh) * d, d, eps);
                double[] k = unit(mixed, SHAPE.keyDim() + (h % kh) * d, d, eps);
                double beta = 1 / (1 + Math.exp(-b[h]));
                double decay = Math.exp(Math.log1p(Math.exp(a[h] + ssmDt[h])) * ssmA[h]);
                double[] o = new double[d];
                for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) s[h][i][j] *= decay;
                for (int j = 0; j < d; j++) {
                    double recalled = 0;
                    for (int i = 0; i < d; i++) recalled += s[h][i][j] * k[i];
                    double delta = beta * (mixed[2 * SHAPE.keyDim() + h * d + j] - recalled);
                    for (int i = 0; i < d; i++) s[h][i][j] += k[i] * delta;
                }
                double ss = 0;
                for (int j = 0; j < d; j++) {
                    for (int i = 0; i < d; i++) o[j] += s[h][i][j] * q[i];
                    o[j] /= Math.sqrt(d);
                    ss += o[j] * o[j];
                }
                for (int j = 0; j < d; j++) {
                    double zj = z[h * d + j];
                    gated[h * d + j] = o[j] / Math.sqrt(ss / d + eps) * ssmNorm[j] * zj / (1 + Math.exp(-zj));
                }
            }
            for (int r = 0; r < embd; r++) {
                double sum = 0;
                for (int c = 0; c < SHAPE.valueDim(); c++) sum += ssmOut[r * SHAPE.valueDim() + c] * gated[c];
                result[t * embd + r] = sum;
            }
        }
        return result;
    }

    private double[] project(float[] w, int rows, int t) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < SHAPE.embd(); c++) y[r] += w[r * SHAPE.embd() + c] * x[t * SHAPE.embd() + c];
        }
        return y;
    }

    private static double[] unit(double[] a, int off, int n, double eps) {
        double ss = 0;
        for (int i = 0; i < n; i++) ss += a[off + i] * a[off + i];
        double[] u = new double[n];
        for (int i = 0; i < n; i++) u[i] = a[off + i] / Math.sqrt(ss + eps);
        return u;
    }

    private float[] gaussian(int n, double scale) {
        return gaussian(n, scale, 0);
    }

    private float[] gaussian(int n, double scale, double mean) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (mean + scale * random.nextGaussian());
        return a;
    }

    /** ssm_a as the converter stores it: -exp(A_log). */
    private static float[] negativeExp(float[] aLog) {
        float[] a = new float[aLog.length];
        for (int i = 0; i < a.length; i++) a[i] = (float) -Math.exp(aLog[i]);
        return a;
    }

    private static WeightMatrix matrix(float[] values, int rows) {
        MemorySegment data = MemorySegment.ofArray(new byte[values.length * Float.BYTES]);
        MemorySegment.copy(values, 0, data, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN),
                0, values.length);
        return WeightMatrix.of(GgmlType.F32, data, rows, values.length / rows);
    }
}
