package dev.kvasir.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class SimdTest {
    @Test
    void vectorApiIsAvailableAndDescribed() {
        assertThat(Simd.available()).isTrue();
        assertThat(Simd.warning()).isEmpty();
        assertThat(Simd.describe()).contains(Kernels.L + " float lanes").contains("Q4_K");
    }

    @Test
    void forcedVectorWidthIsHonoured() {
        // The build runs the tensor tests once more with -Dkvasir.vector.bits=256; make sure that run
        // really exercised 8-lane kernels rather than silently using the preferred shape again.
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        String forced = System.getProperty(Simd.BITS_PROPERTY);
        int expected = forced == null ? Math.min(512, preferred) : Math.min(preferred, Integer.parseInt(forced));
        assertThat(Kernels.F.vectorBitSize()).isEqualTo(Math.max(128, expected));
        assertThat(Kernels.B_PARTS * Kernels.L).isEqualTo(Kernels.BL);
    }
}
