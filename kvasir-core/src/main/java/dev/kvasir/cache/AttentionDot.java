package dev.kvasir.cache;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The q·k dot product of attention with a fixed summation order. {@code reduceLanes(ADD)} may add
 * lanes in a different order in interpreted, C1 and C2 code, which made the same forward pass differ
 * in the last bits before and after JIT warm-up; caches promise bit-identical results, so lanes are
 * accumulated with lane-wise FMAs and then summed left to right.
 */
final class AttentionDot {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private AttentionDot() {
    }

    /** Whether {@link #dot} of length {@code n} is a plain scalar FMA chain (no vector part). */
    static boolean isScalar(int n) {
        return n < S.length();
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float sum = 0f;
        if (n >= S.length()) {
            FloatVector acc = FloatVector.zero(S);
            for (int bound = S.loopBound(n); i < bound; i += S.length()) {
                acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
            }
            for (int lane = 0; lane < S.length(); lane++) {
                sum += acc.lane(lane);
            }
        }
        for (; i < n; i++) {
            sum = Math.fma(a[ao + i], b[bo + i], sum);
        }
        return sum;
    }
}
