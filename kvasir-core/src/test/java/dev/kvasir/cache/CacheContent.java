package dev.kvasir.cache;

import static org.assertj.core.api.Assertions.assertThat;

/** Bit-exact comparison of what two caches hold. */
final class CacheContent {
    private CacheContent() {
    }

    static void assertSame(KvCache actual, KvCache expected) {
        assertThat(actual.size()).isEqualTo(expected.size());
        assertThat(actual.getClass()).isEqualTo(expected.getClass());
        int kvDim = expected.layout().kvDim();
        for (int l = 0; l < expected.layout().layers(); l++) {
            for (int[] s : StoredView.held(expected, l, 0, expected.size())) {
                for (boolean values : new boolean[] {false, true}) {
                    float[] a = new float[s[1] * kvDim];
                    float[] e = new float[s[1] * kvDim];
                    (values ? StoredView.values(actual, l) : StoredView.keys(actual, l)).read(s[0], s[1], a, 0);
                    (values ? StoredView.values(expected, l) : StoredView.keys(expected, l)).read(s[0], s[1], e, 0);
                    for (int i = 0; i < a.length; i++) {
                        if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(e[i])) {
                            throw new AssertionError("layer " + l + (values ? " V" : " K") + " position "
                                    + (s[0] + i / kvDim) + " element " + i % kvDim + ": " + a[i] + " vs " + e[i]);
                        }
                    }
                }
            }
        }
    }
}
