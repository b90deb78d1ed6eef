package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.FullKvCache;
import dev.kvasir.cache.KvCache;
import dev.kvasir.tensor.GgmlType;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each family on the architecture seam runs like the scalar oracle ({@link ReferenceForward} with
 * the family's {@link DecoderSpec}), on tiny random-weight files that exercise what the family adds.
 * Token-for-token agreement with llama.cpp is {@code ArchReferenceTest}'s job.
 */
class FamilyForwardTest {
    @TempDir
    Path dir;

    private static SyntheticGguf plain(String arch) {
        SyntheticGguf g = new SyntheticGguf();
        g.architecture = arch;
        g.qkvBiases = false;
        g.ropeFreqBase = 10000f;
        return g;
    }

    @Test
    void qwen3NormsQAndKPerHeadWithItsOwnHeadSize() {
        SyntheticGguf g = plain("qwen3");
        g.qkNorm = true;
        g.headDim = 6; // != 16 / 4
        try (Model model = Model.load(g.write(dir))) {
            assertThat(model.config().headDim()).isEqualTo(6);
            assertThat(model.config().architecture().ropeMode()).isEqualTo(RopeMode.NEOX);
            assertThat(model.weights().layers().getFirst().attnQNorm()).hasSize(6);
            assertMatchesReference(model);
        }
    }

    @Test
    void qwen3WithYarnScaling() {
        SyntheticGguf g = plain("qwen3");
        g.qkNorm = true;
        g.ropeScalingType = "yarn";
        g.ropeScalingFactor = 4f;
        g.intKeys.put("rope.scaling.original_context_length", 16);
        try (Model model = Model.load(g.write(dir))) {
            RopeSpec rope = model.spec().layer(0).rope();
            assertThat(rope.extFactor()).isEqualTo(1f);
            assertThat(rope.freqScale()).isEqualTo(0.25f);
            assertThat(rope.origContext()).isEqualTo(16);
            assertMatchesReference(model);
        }
    }

    @Test
    void smollm3SkipsRopeInEveryFourthLayer() {
        SyntheticGguf g = plain("smollm3");
        g.layers = 4;
        try (Model model = Model.load(g.write(dir))) {
            assertThat(model.spec().layers()).extracting(l -> l.rope() != null).containsExactly(true, true, true, false);
            assertMatchesReference(model);
        }
    }

    @Test
    void graniteAppliesItsFourMultipliers() {
        SyntheticGguf g = plain("granite");
        g.floatKeys.put("logit_scale", 3f);
        g.floatKeys.put("residual_scale", 0.22f);
        g.floatKeys.put("embedding_scale", 12f);
        g.floatKeys.put("attention.scale", 0.0625f);
        try (Model model = Model.load(g.write(dir))) {
            DecoderSpec spec = model.spec();
            assertThat(spec.embeddingScale()).isEqualTo(12f);
            assertThat(spec.logitScale()).isEqualTo(1f / 3f);
            assertThat(spec.layer(1).residualScale()).isEqualTo(0.22f);
            assertThat(spec.layer(1).attentionScale()).isEqualTo(0.0625f);
            assertMatchesReference(model);
        }
    }

    @Test
    void graniteWithoutLogitScaleNamesTheKey() {
        Path file = plain("granite").write(dir);
        assertThatThrownBy(() -> Model.load(file)).isInstanceOf(KvasirException.class)
                .hasMessageContaining("granite-synthetic.gguf")
                .hasMessageContaining("missing metadata key 'granite.logit_scale'");
    }

    @Test
    void phi3SplitsFusedTensorsAndUsesLongRopeFactorsBeyondTheOriginalContext() {
        SyntheticGguf g = plain("phi3");
        g.fusedQkv = true;
        g.fusedGateUp = true;
        g.ropeFactorsLong = new float[] {1f, 1.5f};
        g.ropeFactorsShort = new float[] {1f, 1.1f};
        g.intKeys.put("rope.scaling.original_context_length", 32); // context 64 > 32: long factors
        g.floatKeys.put("rope.scaling.attn_factor", 1.19f);
        try (Model model = Model.load(g.write(dir))) {
            RopeSpec rope = model.spec().layer(0).rope();
            assertThat(rope.freqFactors()).containsExactly(1f, 1.5f);
            assertThat(rope.attnFactor()).isEqualTo(1.19f);
            assertThat(model.weights().layers().getFirst().ffnGate().rows()).isEqualTo(24);
            assertMatchesReference(model);
        }
    }

    @Test
    void phi3UsesShortFactorsWithinTheOriginalContext() {
        SyntheticGguf g = plain("phi3");
        g.fusedQkv = true;
        g.fusedGateUp = true;
        g.ropeFactorsLong = new float[] {1f, 1.5f};
        g.ropeFactorsShort = new float[] {1f, 1.1f};
        try (Model model = Model.load(g.write(dir))) {
            assertThat(model.spec().layer(0).rope().freqFactors()).containsExactly(1f, 1.1f);
            assertMatchesReference(model);
        }
    }

    @Test
    void aTensorNoFamilyBlockTakesIsRefusedByName() {
        SyntheticGguf g = plain("llama");
        g.qkNorm = true; // llama has no Q/K norm: running without it would be wrong
        Path file = g.write(dir);
        assertThatThrownBy(() -> Model.load(file)).isInstanceOf(KvasirException.class)
                .hasMessageContaining("tensor 'blk.0.attn_q_norm.weight' is not part of a llama model");
    }

    @Test
    void qwen3WithoutItsHeadNormsNamesTheMissingTensor() {
        Path file = plain("qwen3").write(dir);
        assertThatThrownBy(() -> Model.load(file)).isInstanceOf(KvasirException.class)
                .hasMessageContaining("required tensor 'blk.0.attn_q_norm.weight' is missing");
    }

    @Test
    void unsupportedArchitectureListsEveryFamily() {
        Path file = plain("mamba").write(dir);
        assertThatThrownBy(() -> Model.load(file)).isInstanceOf(KvasirException.class)
                .hasMessageContaining("'mamba' is not supported (supported: llama, qwen2, qwen3, smollm3, granite, phi3")
                .hasMessageNotContaining("\n");
    }

    /** Prefill of 7 tokens (chunks of 3), then 17 decoded one by one, each compared with the oracle's logits. */
    private static void assertMatchesReference(Model model) {
        ModelConfig c = model.config();
        model.setPrefillChunk(3);
        ReferenceForward reference = new ReferenceForward(c, model.weights(), model.spec());
        KvCache cache = new FullKvCache(c.kvLayout(), GgmlType.F32);
        int[] tokens = new SplittableRandom(5).ints(24, 0, c.vocabSize()).toArray();
        float[] expected = null;
        for (int i = 0; i < 7; i++) {
            expected = reference.next(tokens[i]);
        }
        ReferenceForwardTest.assertClose(model.forward(tokens, 0, 7, cache), expected, 1e-5, 6);
        for (int pos = 7; pos < tokens.length; pos++) {
            ReferenceForwardTest.assertClose(model.forward(tokens, pos, 1, cache), reference.next(tokens[pos]), 1e-5, pos);
        }
    }
}
