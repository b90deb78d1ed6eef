package dev.kvasir.tensor;

/**
 * Plain-loop reference versions of {@link VectorOps}: the oracles of the differential tests, and the
 * building blocks of scalar reference forwards. Clarity over speed; dot products accumulate in double.
 */
public final class ScalarOps {
    private ScalarOps() {}

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) a[aOff + i] * b[bOff + i];
        }
        return (float) sum;
    }

    /** y += a * x */
    public static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    public static void scale(float[] x, int off, int n, float s) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= s;
        }
    }

    /** y += x */
    public static void add(float[] y, int yOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    /** y *= x */
    public static void mul(float[] y, int yOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] *= x[xOff + i];
        }
    }

    /** out = x * w / sqrt(mean(x^2) + eps), as llama.cpp's rms_norm followed by the weight multiply. */
    public static void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] w, int n, float eps) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += (double) x[xOff + i] * x[xOff + i];
        }
        double inv = 1.0 / Math.sqrt(ss / n + eps);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) (x[xOff + i] * inv * w[i]);
        }
    }

    /** In-place softmax, max-subtracted so large logits do not overflow. */
    public static void softmax(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = Math.exp(x[off + i] - max);
            sum += e[i];
        }
        for (int i = 0; i < n; i++) {
            x[off + i] = (float) (e[i] / sum);
        }
    }

    /** In-place SiLU: x * sigmoid(x). */
    public static void silu(float[] x, int off, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[off + i];
            x[off + i] = (float) (v / (1 + Math.exp(-v)));
        }
    }
}
