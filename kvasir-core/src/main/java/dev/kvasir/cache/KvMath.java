package dev.kvasir.cache;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The two vector kernels attention needs, on array slices; scalar oracles live in the tests. */
final class KvMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private KvMath() {
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float s = 0f;
        if (n >= S.length()) {
            FloatVector acc = FloatVector.zero(S);
            for (int bound = S.loopBound(n); i < bound; i += S.length()) {
                acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
            }
            s = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            s = Math.fma(a[ao + i], b[bo + i], s);
        }
        return s;
    }

    /** {@code y[yo..] += a * x[xo..]}. */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        if (n >= S.length()) {
            FloatVector va = FloatVector.broadcast(S, a);
            for (int bound = S.loopBound(n); i < bound; i += S.length()) {
                FloatVector.fromArray(S, x, xo + i).fma(va, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
            }
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(a, x[xo + i], y[yo + i]);
        }
    }

    static void scale(float[] y, int yo, int n, float a) {
        for (int i = 0; i < n; i++) {
            y[yo + i] *= a;
        }
    }
}
