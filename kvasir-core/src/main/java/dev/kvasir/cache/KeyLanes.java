package dev.kvasir.cache;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One block of K transposed to {@code [K column][position]}, so SIMD lanes are positions: for head
 * dims too short for a vector (stories260K's 8), one multiply-add per column computes the q·k of 8
 * or 16 positions at once, each lane in exactly the element order of the scalar dot.
 *
 * <p>Over an F16 cache the scalar dot is ggml_vec_dot_f16's leftover loop, which adds the float
 * products {@code k·q} in double. The columns are kept as doubles: the product of two F16 values
 * has at most 22 significant bits, so it is exact in float and in double, and a double FMA onto the
 * sum rounds once, exactly where {@code sum += (double) (k * q)} rounds.
 */
final class KeyLanes {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private final int kvDim;
    private final int headDim;
    private final double[] f16Columns;
    private final float[] f32Columns;

    KeyLanes(KvLayout layout, boolean f16) {
        this.kvDim = layout.kvDim();
        this.headDim = layout.headDim();
        int size = Attention.BLOCK * kvDim;
        this.f16Columns = f16 ? new double[size] : null;
        this.f32Columns = f16 ? null : new float[size];
    }

    /** Whether position lanes beat a per-position dot (and reproduce it) for this head dim. */
    static boolean suits(int headDim, boolean f16) {
        return f16 ? headDim < GgmlF16.STEP : AttentionDot.isScalar(headDim);
    }

    /** Takes block positions {@code [from, to)} (block-relative) from row-major {@code k}. */
    void load(float[] k, int from, int to) {
        for (int c = 0; c < kvDim; c++) {
            int col = c * Attention.BLOCK;
            if (f16Columns != null) {
                for (int p = from; p < to; p++) {
                    f16Columns[col + p] = k[p * kvDim + c];
                }
            } else {
                for (int p = from; p < to; p++) {
                    f32Columns[col + p] = k[p * kvDim + c];
                }
            }
        }
    }

    /**
     * {@link GgmlF16#dot}s of block positions {@code [from, to)} of KV head {@code g} with {@code q}
     * (F16 values) into {@code dots[from..to)}; neighbouring entries may be overwritten.
     */
    void f16Dots(int g, double[] q, int from, int to, double[] dots) {
        int base = g * headDim * Attention.BLOCK;
        for (int p = from & -D.length(); p < to; p += D.length()) {
            DoubleVector acc = DoubleVector.zero(D);
            for (int d = 0, i = base + p; d < headDim; d++, i += Attention.BLOCK) {
                acc = DoubleVector.fromArray(D, f16Columns, i).fma(DoubleVector.broadcast(D, q[d]), acc);
            }
            acc.intoArray(dots, p);
        }
    }

    /** Like {@link #f16Dots} for {@link AttentionDot#dot} (its scalar FMA chain) over F32 K. */
    void f32Dots(int g, float[] q, int from, int to, float[] dots) {
        int base = g * headDim * Attention.BLOCK;
        for (int p = from & -F.length(); p < to; p += F.length()) {
            FloatVector acc = FloatVector.zero(F);
            for (int d = 0, i = base + p; d < headDim; d++, i += Attention.BLOCK) {
                acc = FloatVector.fromArray(F, f32Columns, i).fma(FloatVector.broadcast(F, q[d]), acc);
            }
            acc.intoArray(dots, p);
        }
    }
}
