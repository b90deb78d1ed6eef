package dev.kvasir.cache;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD forms of {@link GgmlF16}'s primitives that give the same bits: every lane does the scalar
 * operation sequence of one element, so only the data layout differs.
 */
final class GgmlF16Vectors {
    /** One ggml AVX2 register: the shape of ggml_vec_dot_f16's accumulators. */
    static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;
    static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_PREFERRED.length() > 16
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
    private static final int WIDE_LANES = WIDE.length();
    private static final int ROUNDING_SHIFT = 13 << 23; // float has 13 more significand bits than F16
    private static final int HALF = 0x3F000000; // 0.5f: its ulp, 2^-24, is F16's subnormal quantum
    private static final int CAP = 0x4D800000; // 2^28: rounds F16's top binade; larger would overflow to Inf - Inf

    private GgmlF16Vectors() {
    }

    /**
     * {@link GgmlF16#round} per lane, round-to-nearest-even included: adding and subtracting
     * {@code c} = 2^(exponent+13) (at least 0.5, for F16 subnormals; at most 2^28) leaves the float
     * addition to round away exactly the bits F16 lacks; results of 2^16 and more were at least 65520,
     * which F16 rounds to infinity. Checked against the scalar form for all 2^32 floats; a NaN stays a
     * NaN, possibly with another payload.
     */
    static FloatVector round(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        IntVector abs = bits.and(0x7FFFFFFF);
        FloatVector c = abs.and(0x7F800000).add(ROUNDING_SHIFT).max(HALF).min(CAP).reinterpretAsFloats();
        FloatVector a = abs.reinterpretAsFloats();
        FloatVector r = a.add(c).sub(c);
        r = r.blend(Float.POSITIVE_INFINITY, r.compare(VectorOperators.GE, 0x1p16f));
        return r.reinterpretAsInts().or(bits.and(0x80000000)).reinterpretAsFloats();
    }

    /** {@link GgmlF16#dot} of a K row with {@code y} (n >= 32 for the SIMD part to matter). */
    static float dot(float[] x, int xo, float[] y, int n) {
        int np = n & ~(GgmlF16.STEP - 1);
        double sum = 0;
        if (np > 0) {
            FloatVector a0 = FloatVector.zero(EIGHT);
            FloatVector a1 = FloatVector.zero(EIGHT);
            FloatVector a2 = FloatVector.zero(EIGHT);
            FloatVector a3 = FloatVector.zero(EIGHT);
            for (int i = 0; i < np; i += GgmlF16.STEP) {
                a0 = FloatVector.fromArray(EIGHT, x, xo + i).fma(FloatVector.fromArray(EIGHT, y, i), a0);
                a1 = FloatVector.fromArray(EIGHT, x, xo + i + 8).fma(FloatVector.fromArray(EIGHT, y, i + 8), a1);
                a2 = FloatVector.fromArray(EIGHT, x, xo + i + 16).fma(FloatVector.fromArray(EIGHT, y, i + 16), a2);
                a3 = FloatVector.fromArray(EIGHT, x, xo + i + 24).fma(FloatVector.fromArray(EIGHT, y, i + 24), a3);
            }
            a0 = a0.add(a2).add(a1.add(a3));
            float t0 = a0.lane(0) + a0.lane(4);
            float t1 = a0.lane(1) + a0.lane(5);
            float t2 = a0.lane(2) + a0.lane(6);
            float t3 = a0.lane(3) + a0.lane(7);
            sum = (t0 + t1) + (t2 + t3);
        }
        for (int i = np; i < n; i++) {
            sum += x[xo + i] * y[i];
        }
        return (float) sum;
    }

    /**
     * Runs one output row through positions {@code [from, to)} of the online softmax: per position,
     * {@link GgmlF16#scale} by {@code ms[p]} when it is not 1 (scaling an F16 value by 1 is exact) and
     * {@link GgmlF16#mad} of V row {@code v[vo + (p - from) * stride ..]} by {@code vs[p]}. Columns are
     * independent, so each vector of columns stays in a register across all positions.
     */
    static void accumulate(float[] out, int oo, int n, float[] v, int vo, int stride,
            float[] ms, float[] vs, int from, int to) {
        int d = 0;
        for (; d + WIDE_LANES <= n; d += WIDE_LANES) {
            accumulateWide(out, oo + d, v, vo + d, stride, ms, vs, from, to);
        }
        for (; d + 8 <= n; d += 8) {
            accumulateEight(out, oo + d, v, vo + d, stride, ms, vs, from, to);
        }
        for (; d < n; d++) {
            float o = out[oo + d];
            for (int p = from, vi = vo + d; p < to; p++, vi += stride) {
                if (ms[p] != 1f) {
                    o = GgmlF16.round(o * ms[p]);
                }
                o = GgmlF16.round(Math.fma(v[vi], vs[p], o));
            }
            out[oo + d] = o;
        }
    }

    // One copy per species (not a species parameter): the Vector API compiles to SIMD code only where
    // C2 sees a constant species, and these loops are too big to be inlined into their callers.
    private static void accumulateWide(float[] out, int oo, float[] v, int vo, int stride,
            float[] ms, float[] vs, int from, int to) {
        FloatVector o = FloatVector.fromArray(WIDE, out, oo);
        for (int p = from, vi = vo; p < to; p++, vi += stride) {
            float scale = ms[p];
            if (scale != 1f) {
                o = round(o.mul(scale));
            }
            o = round(FloatVector.fromArray(WIDE, v, vi).fma(FloatVector.broadcast(WIDE, vs[p]), o));
        }
        o.intoArray(out, oo);
    }

    private static void accumulateEight(float[] out, int oo, float[] v, int vo, int stride,
            float[] ms, float[] vs, int from, int to) {
        FloatVector o = FloatVector.fromArray(EIGHT, out, oo);
        for (int p = from, vi = vo; p < to; p++, vi += stride) {
            float scale = ms[p];
            if (scale != 1f) {
                o = round(o.mul(scale));
            }
            o = round(FloatVector.fromArray(EIGHT, v, vi).fma(FloatVector.broadcast(EIGHT, vs[p]), o));
        }
        o.intoArray(out, oo);
    }
}
