package dev.kvasir.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Differential tests of the SIMD kernels against {@link GgmlReference} (decode) and a double-precision
 * dot product (math).
 *
 * <p>Tolerance: the kernels sum {@code cols} float products, each rounding at most 2^-24 relative, in a
 * tree no deeper than {@code cols}; the classic bound is |error| <= cols * 2^-23 * sum|w_i x_i| (with
 * margin for the block-scale multiply). A decode bug (wrong nibble, wrong scale, wrong offset) moves
 * the result by the order of sum|w_i x_i| itself, far outside the bound.
 */
class WeightMatrixTest {
    private static final GgmlType[] TYPES = {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0,
        GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K};

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void kernelsMatchReferenceOnRandomShapes(GgmlType type) {
        Random rnd = new Random(42 + type.id());
        for (int trial = 0; trial < 25; trial++) {
            int rows = 1 + rnd.nextInt(40);
            int cols = type.blockSize() == 1 ? 1 + rnd.nextInt(300) : type.blockSize() * (1 + rnd.nextInt(384 / type.blockSize() + 1));
            checkAgainstReference(type, rows, cols, rnd, trial % 7);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void parallelPathMatchesReference(GgmlType type) {
        // Large enough that matvec and matmul split rows across threads.
        checkAgainstReference(type, 301, 512, new Random(7 + type.id()), 3);
    }

    /**
     * Batch invariance: a token's outputs have the same bits whether it goes through matvec (decode) or
     * through matmul with any batch, so a prompt evaluated in any chunking, or token by token, leaves the
     * same KV cache. Shapes include partial row tiles, float rows with a scalar tail, and sizes that run
     * on several threads.
     */
    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void matvecAndMatmulGiveIdenticalBits(GgmlType type) {
        Random rnd = new Random(1234 + type.id());
        int[][] shapes = {{1, 1}, {3, 2}, {5, 3}, {37, 11}, {301, 8}, {64, 2}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int cols = type.blockSize() == 1 ? 16 * shape[1] + (shape[1] % 2 == 1 ? 5 : 0) : type.blockSize() * shape[1];
            byte[] bytes = TestData.randomEncoded(type, rows, cols, rnd);
            WeightMatrix m = WeightMatrix.of(type, TestData.unaligned(bytes, 1), rows, cols);
            int batch = 1 + rnd.nextInt(9);
            float[] xs = TestData.gaussian(batch * cols, rnd);
            float[] batched = new float[batch * rows];
            m.matmul(xs, batch, batched);
            for (int b = 0; b < batch; b++) {
                float[] one = new float[rows];
                m.matvec(Arrays.copyOfRange(xs, b * cols, (b + 1) * cols), one);
                float[] fromBatch = Arrays.copyOfRange(batched, b * rows, (b + 1) * rows);
                if (!Arrays.equals(one, fromBatch)) {
                    assertThat(one).as(type + " " + rows + "x" + cols + " token " + b + " of " + batch)
                            .containsExactly(fromBatch);
                }
            }
        }
    }

    private static void checkAgainstReference(GgmlType type, int rows, int cols, Random rnd, int misalign) {
        byte[] bytes = TestData.randomEncoded(type, rows, cols, rnd);
        WeightMatrix m = WeightMatrix.of(type, TestData.unaligned(bytes, misalign), rows, cols);
        float[] ref = GgmlReference.dequantize(type, bytes, rows, cols);
        String label = type + " " + rows + "x" + cols;

        float[] row = new float[cols + 3];
        for (int r = 0; r < rows; r++) {
            m.dequantizeRow(r, row, 3);
            float[] want = Arrays.copyOfRange(ref, r * cols, (r + 1) * cols);
            float[] got = Arrays.copyOfRange(row, 3, cols + 3);
            if (!Arrays.equals(got, want)) { // AssertJ only on failure: boxing every element is slow
                assertThat(got).as(label + " row " + r).containsExactly(want);
            }
        }

        float[] x = TestData.gaussian(cols, rnd);
        float[] out = new float[rows];
        m.matvec(x, out);
        for (int r = 0; r < rows; r++) {
            assertClose(out[r], ref, r, cols, x, 0, label + " matvec row " + r);
        }

        int batch = 2 + rnd.nextInt(5);
        float[] xs = TestData.gaussian(batch * cols, rnd);
        float[] outs = new float[batch * rows];
        m.matmul(xs, batch, outs);
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < rows; r++) {
                assertClose(outs[b * rows + r], ref, r, cols, xs, b * cols, label + " matmul b" + b + " row " + r);
            }
        }
    }

    private static void assertClose(float actual, float[] w, int row, int cols, float[] x, int xOff, String what) {
        double exact = 0;
        double magnitude = 0;
        for (int i = 0; i < cols; i++) {
            double p = (double) w[row * cols + i] * x[xOff + i];
            exact += p;
            magnitude += Math.abs(p);
        }
        double tol = cols * 0x1p-23 * magnitude + Float.MIN_NORMAL;
        if (!(Math.abs(actual - exact) <= tol)) { // AssertJ per element is slow; assert only on failure
            assertThat((double) actual).as(what).isCloseTo(exact, org.assertj.core.data.Offset.offset(tol));
        }
    }

    @Test
    void halfToFloatIsExactForEveryHalfValue() {
        int lanes = Kernels.L;
        short[] halves = new short[lanes];
        float[] got = new float[lanes];
        for (int base = 0; base < 0x10000; base += lanes) {
            for (int i = 0; i < lanes; i++) {
                halves[i] = (short) (base + i);
            }
            Kernels.halfToFloat(jdk.incubator.vector.ShortVector.fromArray(Kernels.S, halves, 0)).intoArray(got, 0);
            for (int i = 0; i < lanes; i++) {
                float want = Float.float16ToFloat(halves[i]);
                if (Float.isNaN(want)) {
                    assertThat(got[i]).as("half 0x%04x", base + i).isNaN();
                } else {
                    assertThat(Float.floatToRawIntBits(got[i])).as("half 0x%04x", base + i)
                            .isEqualTo(Float.floatToRawIntBits(want));
                }
            }
        }
    }

    @Test
    void rejectsUnsupportedTypeBadShapeAndTruncatedData() {
        MemorySegment seg = MemorySegment.ofArray(new byte[1024]);
        assertThatThrownBy(() -> WeightMatrix.of("blk.0.attn_q.weight", GgmlType.IQ2_XXS, seg, 1, 256))
                .isInstanceOf(KvasirException.class).hasMessageContaining("blk.0.attn_q.weight")
                .hasMessageContaining("IQ2_XXS");
        assertThatThrownBy(() -> WeightMatrix.of("ffn_down", GgmlType.Q8_0, seg, 2, 172))
                .isInstanceOf(KvasirException.class).hasMessageContaining("ffn_down").hasMessageContaining("172");
        assertThatThrownBy(() -> WeightMatrix.of("output", GgmlType.F32, seg, 2, 256))
                .isInstanceOf(KvasirException.class).hasMessageContaining("2048").hasMessageContaining("1024");
        for (GgmlType t : TYPES) {
            assertThat(WeightMatrix.supports(t)).isTrue();
        }
    }

    @Test
    void wrongBufferLengthsAreRejectedNotSilentlyTruncated() {
        WeightMatrix m = WeightMatrix.of(GgmlType.F32, MemorySegment.ofArray(new byte[4 * 6]), 2, 3);
        assertThatThrownBy(() -> m.matvec(new float[2], new float[2])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.matmul(new float[6], 2, new float[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
