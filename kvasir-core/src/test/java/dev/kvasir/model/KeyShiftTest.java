package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.cache.FullKvCache;
import dev.kvasir.cache.KvCache;
import dev.kvasir.tensor.GgmlType;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Moving cached keys to new positions ({@link Model#shiftKeys}) is exact: tokens evaluated at
 * positions starting at p, shifted to q, hold the keys (and values, and next-token logits) of the
 * same tokens evaluated at positions starting at q, within float rounding. RoPE is a rotation by
 * position and attention sees only relative positions, so nothing else may change.
 */
class KeyShiftTest {
    @TempDir
    static Path tmp;

    static Stream<Arguments> models() {
        SyntheticGguf neox = new SyntheticGguf(); // qwen2: NEOX pairs, half a head apart
        neox.context = 512;
        SyntheticGguf yarn = family("qwen3", "yarn-dir"); // YaRN: its magnitude factor must not be applied twice
        yarn.qkNorm = true;
        yarn.ropeScalingType = "yarn";
        yarn.ropeScalingFactor = 4f;
        yarn.intKeys.put("rope.scaling.original_context_length", 128);
        SyntheticGguf nope = family("smollm3", "nope-dir"); // every 4th layer has no RoPE: its keys stay
        nope.layers = 4;
        SyntheticGguf longRope = family("phi3", "phi3-dir"); // LongRoPE factors with an attention factor
        longRope.fusedQkv = true;
        longRope.fusedGateUp = true;
        longRope.ropeFactorsLong = new float[] {1f, 1.5f};
        longRope.ropeFactorsShort = new float[] {1f, 1.1f};
        longRope.intKeys.put("rope.scaling.original_context_length", 32);
        longRope.floatKeys.put("rope.scaling.attn_factor", 1.19f);
        return Stream.of(
                Arguments.of("stories260K (llama, NORMAL RoPE)", SharedData.model("stories260K.gguf")),
                Arguments.of("TinyLlama-v0 Q4_0", SharedData.model("tinyllama-v0-q4_0.gguf")),
                Arguments.of("synthetic qwen2 (NEOX RoPE)", neox.write(dir("neox-dir"))),
                Arguments.of("synthetic qwen3 (YaRN)", yarn.write(dir("yarn-dir"))),
                Arguments.of("synthetic smollm3 (NoPE layers)", nope.write(dir("nope-dir"))),
                Arguments.of("synthetic phi3 (LongRoPE)", longRope.write(dir("phi3-dir"))));
    }

    private static SyntheticGguf family(String arch, String name) {
        SyntheticGguf g = new SyntheticGguf();
        g.architecture = arch;
        g.qkvBiases = false;
        g.ropeFreqBase = 10000f;
        g.context = 512;
        return g;
    }

    private static Path dir(String name) {
        try {
            return java.nio.file.Files.createDirectories(tmp.resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void shiftedKeysEqualKeysComputedAtTheNewPositions(String name, Path file) {
        try (Model model = Model.load(file)) {
            int[] tokens = {1, 14, 33, 7, 25, 19, 3, 30, 12, 8, 27, 5, 16, 21, 9, 38, 2, 11, 35, 6};
            int n = tokens.length;
            int p = 3;
            int q = 170; // crosses the 256-position attention block boundary too
            KvCache atP = new FullKvCache(model.config().kvLayout(), GgmlType.F32);
            KvCache atQ = new FullKvCache(model.config().kvLayout(), GgmlType.F32);
            float[] logitsP = model.forward(tokens, 0, n, atP, p).clone();
            float[] logitsQ = model.forward(tokens, 0, n, atQ, q).clone();

            int kvDim = model.config().kvDim();
            double worstK = 0;
            double worstV = 0;
            double scale = 0;
            for (int layer = 0; layer < model.config().blockCount(); layer++) {
                float[] kP = new float[n * kvDim];
                float[] vP = new float[n * kvDim];
                float[] kQ = new float[n * kvDim];
                float[] vQ = new float[n * kvDim];
                atP.read(layer, 0, n, kP, vP);
                atQ.read(layer, 0, n, kQ, vQ);
                float[] unshifted = kP.clone();
                model.shiftKeys(layer, kP, n, q - p);
                for (int i = 0; i < kP.length; i++) {
                    worstK = Math.max(worstK, Math.abs(kP[i] - kQ[i]));
                    worstV = Math.max(worstV, Math.abs(vP[i] - vQ[i]));
                    scale = Math.max(scale, Math.abs(kQ[i]));
                }
                if (model.spec().layer(layer).rope() == null) {
                    assertThat(kP).as("a NoPE layer's keys do not depend on position").containsExactly(unshifted);
                } else {
                    assertThat(maxDiff(unshifted, kQ)).as("positions matter, so unshifted keys differ").isGreaterThan(1e-3 * scale);
                }
            }
            assertThat(worstK).as("keys, max |k| %s", scale).isLessThan(1e-4 * Math.max(1, scale));
            assertThat(worstV).as("values").isLessThan(1e-4 * Math.max(1, scale));
            assertThat(maxDiff(logitsP, logitsQ)).as("next-token logits").isLessThan(1e-4 * Math.max(1, maxAbs(logitsQ)));
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
