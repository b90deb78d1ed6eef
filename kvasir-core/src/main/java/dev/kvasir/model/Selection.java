package dev.kvasir.model;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Which tokens of a composed prompt to recompute: those whose K/V moved most from the cached ones (CacheBlend). */
final class Selection {
    private Selection() {
    }

    /**
     * The {@code ceil(fraction·n)} token indices, ascending, with the largest squared distance between
     * the new and cached K/V rows ({@code width} floats each); ties go to the earlier token, so the
     * choice is deterministic.
     */
    static int[] mostChanged(float[] k, float[] v, float[] oldK, float[] oldV, int width, int n, double fraction) {
        int m = (int) Math.min(n, Math.ceil(fraction * n - 1e-9));
        if (m >= n) {
            return IntStream.range(0, n).toArray();
        }
        double[] deviation = new double[n];
        for (int t = 0; t < n; t++) {
            double d = 0;
            for (int i = t * width; i < (t + 1) * width; i++) {
                double dk = k[i] - oldK[i];
                double dv = v[i] - oldV[i];
                d += dk * dk + dv * dv;
            }
            deviation[t] = d;
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(t -> -deviation[t]).thenComparingInt(t -> t));
        int[] chosen = new int[m];
        for (int i = 0; i < m; i++) {
            chosen[i] = order[i];
        }
        Arrays.sort(chosen);
        return chosen;
    }
}
