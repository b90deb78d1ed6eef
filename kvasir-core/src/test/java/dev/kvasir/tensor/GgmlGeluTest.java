package dev.kvasir.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ggml's GELU: the F16 table entry of the F16-rounded input, 0 below -10, identity from 10. */
class GgmlGeluTest {
    @Test
    void tableIsTheFormulaRoundedToF16AtF16Inputs() {
        for (int h = 0; h < 1 << 16; h++) {
            float x = Float.float16ToFloat((short) h);
            if (!Float.isFinite(x) || x <= -10f || x >= 10f) {
                continue;
            }
            float expected = Float.float16ToFloat(Float.floatToFloat16(GgmlGelu.exact(x)));
            assertThat(GgmlGelu.of(x)).as("x = %s", x).isEqualTo(expected);
        }
    }

    @Test
    void inputsAreRoundedToF16BeforeTheLookup() {
        float x = 1.0001f; // rounds to F16 1.0
        assertThat(GgmlGelu.of(x)).isEqualTo(GgmlGelu.of(1f));
        assertThat(GgmlGelu.of(1f)).isCloseTo(0.8412f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(GgmlGelu.of(-10f)).isZero();
        assertThat(GgmlGelu.of(12.5f)).isEqualTo(12.5f);
    }

    @Test
    void gegluMultipliesByTheUpProjection() {
        float[] gate = {-11f, 0.5f, 10f, -0.25f};
        float[] up = {3f, 2f, 0.5f, -4f};
        GgmlGelu.geglu(gate, 0, up, 0, 4);
        assertThat(gate).containsExactly(0f, GgmlGelu.of(0.5f) * 2f, 5f, GgmlGelu.of(-0.25f) * -4f);
    }
}
