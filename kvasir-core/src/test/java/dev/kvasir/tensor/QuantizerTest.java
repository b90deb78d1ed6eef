package dev.kvasir.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Quantize, decode with the (separately tested) WeightMatrix decoders, and check each element's error
 * against the bound the format's rounding allows, derived from the block's own data.
 */
class QuantizerTest {
    private static final int ROWS = 6;
    private static final int COLS = 512;

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
    void dequantizedErrorStaysWithinTheFormatsRoundingBound(GgmlType type) {
        Random rnd = new Random(99 + type.id());
        float[] x = TestData.gaussian(ROWS * COLS, rnd);
        for (int i = 0; i < COLS; i++) {
            x[i] *= 100; // one row of larger scale, one with a constant run and an all-zero block
            x[COLS + i] = i < 256 ? 0.25f : x[COLS + i];
            x[2 * COLS + i] = i < 256 ? 0 : x[2 * COLS + i];
        }
        float[] y = roundTrip(type, x, COLS);
        int block = type.blockSize() == 1 ? 1 : type.blockSize();
        for (int b = 0; b < x.length / block; b++) {
            for (int i = b * block; i < (b + 1) * block; i++) {
                double bound = bound(type, x, b * block, i);
                assertThat((double) Math.abs(y[i] - x[i])).as("%s element %d (x=%s, got %s)", type, i, x[i], y[i])
                        .isLessThanOrEqualTo(bound);
            }
        }
    }

    /** The worst-case error of element {@code i} in the block starting at {@code from}. */
    private static double bound(GgmlType type, float[] x, int from, int i) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> Math.abs(x[i]) * 0x1p-11 + 0x1p-25;
            case BF16 -> Math.abs(x[i]) * 0x1p-8;
            // q = round(x/d) then times f16(d): half a step, plus 127 quants times d's f16 rounding.
            case Q8_0 -> amax(x, from, 32) / 127 * (0.5 + 127 * 0x1p-11) * 1.0001;
            // -8..7 around the signed extreme: the opposite extreme clamps from 8 to 7, one full step.
            case Q4_0 -> amax(x, from, 32) / 8 * (1 + 8 * 0x1p-11) * 1.0001;
            case Q4_1 -> range(x, from, 32) / 15 * (0.5 + 15 * 0x1p-11) + amax(x, from, 32) * 0x1p-11 + 1e-7;
            case Q5_0 -> amax(x, from, 32) / 16 * (1 + 16 * 0x1p-11) * 1.0001;
            case Q5_1 -> range(x, from, 32) / 31 * (0.5 + 31 * 0x1p-11) + amax(x, from, 32) * 0x1p-11 + 1e-7;
            case Q4_K, Q5_K -> kBound(x, from, i, type == GgmlType.Q5_K ? 31 : 15);
            case Q6_K -> q6Bound(x, from, i);
            default -> throw new AssertionError(type);
        };
    }

    /** Half a (rounded-up) step of the sub-block, plus the min's grid step that may clamp the top. */
    private static double kBound(float[] x, int from, int i, int nmax) {
        double maxScale = 0;
        double maxMin = 0;
        for (int j = 0; j < 8; j++) {
            maxScale = Math.max(maxScale, rangeWithZero(x, from + 32 * j, 32) / nmax);
            maxMin = Math.max(maxMin, -Math.min(0, min(x, from + 32 * j, 32)));
        }
        int sub = from + (i - from) / 32 * 32;
        double step = rangeWithZero(x, sub, 32) / nmax + maxScale / 63;
        return (step / 2 + maxMin / 63) * 1.002 + 1e-7;
    }

    private static double q6Bound(float[] x, int from, int i) {
        double maxScale = 0;
        for (int j = 0; j < 16; j++) {
            maxScale = Math.max(maxScale, amax(x, from + 16 * j, 16) / 31);
        }
        int sub = from + (i - from) / 16 * 16;
        return (amax(x, sub, 16) / 31 + maxScale / 127) / 2 * 1.002 + 1e-7;
    }

    @Test
    void q8_0RoundTripsIntegersExactly() {
        float[] x = new float[64];
        for (int i = 0; i < 64; i++) {
            x[i] = i == 0 ? 127 : (i * 37) % 255 - 127;
        }
        assertThat(roundTrip(GgmlType.Q8_0, x, 64)).containsExactly(x);
    }

    @Test
    void q4_0FollowsGgmlsReferenceRounding() {
        // max |x| is -4 -> d = 0.5, values map to round(x / d) + 8; +4 would be 16 and clamps to 15.
        float[] x = new float[32];
        x[0] = -4;
        x[1] = 4;
        x[2] = 1.2f;
        x[16] = -0.3f;
        byte[] q = Quantizer.quantize(GgmlType.Q4_0, x, 1, 32);
        assertThat(Float.float16ToFloat((short) (q[0] & 0xFF | q[1] << 8))).isEqualTo(0.5f);
        assertThat(q[2] & 0x0F).isEqualTo(0);   // -4 -> 0
        assertThat(q[3] & 0x0F).isEqualTo(15);  // 4 -> clamped 15
        assertThat(q[4] & 0x0F).isEqualTo(10);  // 1.2 / 0.5 = 2.4 -> 2, +8
        assertThat((q[2] & 0xF0) >> 4).isEqualTo(7);  // -0.3 / 0.5 = -0.6 -> -1, +8
        assertThat(q[5] & 0xFF).isEqualTo(0x88); // zeros -> 8 | 8 << 4
    }

    @Test
    void roundfRoundsHalvesAwayFromZero() {
        assertThat(Quantizer.roundf(2.5f)).isEqualTo(3);
        assertThat(Quantizer.roundf(-2.5f)).isEqualTo(-3);
        assertThat(Quantizer.roundf(0.49999997f)).isEqualTo(0);
        assertThat(Quantizer.roundf(-0.5f)).isEqualTo(-1);
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertThat(Quantizer.toBf16(1.0f)).isEqualTo((short) 0x3F80);
        assertThat(Quantizer.toBf16(Float.intBitsToFloat(0x3F808000))).isEqualTo((short) 0x3F80); // tie -> even
        assertThat(Quantizer.toBf16(Float.intBitsToFloat(0x3F818000))).isEqualTo((short) 0x3F82); // tie -> even
        assertThat(Quantizer.toBf16(Float.intBitsToFloat(0x3F808001))).isEqualTo((short) 0x3F81);
        assertThat(Float.isNaN(Float.intBitsToFloat(Quantizer.toBf16(Float.NaN) << 16))).isTrue();
    }

    @Test
    void quantizedMatrixMultipliesLikeTheFloatOne() {
        Random rnd = new Random(5);
        int rows = 40;
        int cols = 768;
        float[] w = TestData.gaussian(rows * cols, rnd);
        float[] x = TestData.gaussian(cols, rnd);
        WeightMatrix q = matrix(GgmlType.Q8_0, w, rows, cols);
        float[] out = new float[rows];
        q.matvec(x, out);
        for (int r = 0; r < rows; r++) {
            double exact = ScalarOps.dot(w, r * cols, x, 0, cols);
            // 8-bit quantization noise: ~sqrt(cols) * |x| * step / sqrt(12), well under 0.5 here.
            assertThat((double) out[r]).isCloseTo(exact, org.assertj.core.data.Offset.offset(0.5));
        }
    }

    @Test
    void rejectsUnsupportedTypesAndPartialBlocks() {
        assertThatThrownBy(() -> Quantizer.quantize(GgmlType.IQ2_XS, new float[256], 1, 256))
                .isInstanceOf(KvasirException.class).hasMessageContaining("IQ2_XS");
        assertThatThrownBy(() -> Quantizer.quantize(GgmlType.Q4_K, new float[512], 2, 128))
                .isInstanceOf(KvasirException.class).hasMessageContaining("256");
    }

    private static float[] roundTrip(GgmlType type, float[] x, int cols) {
        int rows = x.length / cols;
        WeightMatrix m = matrix(type, x, rows, cols);
        float[] y = new float[x.length];
        for (int r = 0; r < rows; r++) {
            m.dequantizeRow(r, y, r * cols);
        }
        return y;
    }

    private static WeightMatrix matrix(GgmlType type, float[] x, int rows, int cols) {
        return WeightMatrix.of(type, MemorySegment.ofArray(Quantizer.quantize(type, x, rows, cols)), rows, cols);
    }

    private static double amax(float[] x, int from, int n) {
        double m = 0;
        for (int i = from; i < from + n; i++) {
            m = Math.max(m, Math.abs(x[i]));
        }
        return m;
    }

    private static double min(float[] x, int from, int n) {
        double m = Double.MAX_VALUE;
        for (int i = from; i < from + n; i++) {
            m = Math.min(m, x[i]);
        }
        return m;
    }

    private static double range(float[] x, int from, int n) {
        double hi = -Double.MAX_VALUE;
        for (int i = from; i < from + n; i++) {
            hi = Math.max(hi, x[i]);
        }
        return hi - min(x, from, n);
    }

    /** max - min with 0 included, as Q4_K/Q5_K store non-negative mins. */
    private static double rangeWithZero(float[] x, int from, int n) {
        double hi = -Double.MAX_VALUE;
        for (int i = from; i < from + n; i++) {
            hi = Math.max(hi, x[i]);
        }
        return hi - Math.min(0, min(x, from, n));
    }
}
