package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.FullKvCache;
import dev.kvasir.cache.KvCache;
import dev.kvasir.cache.LayerKind;
import dev.kvasir.cache.RotatingKvCache;
import dev.kvasir.tensor.GgmlType;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gemma2 and gemma3 run like the scalar oracle ({@link ReferenceForward} with the family's spec:
 * post norms, GeGLU, query pre-scaling, sliding windows, soft-caps), over more positions than the
 * window, and a windowed cache (local layers keep only their window) gives bit-identical logits.
 */
class GemmaForwardTest {
    private static final int WINDOW = 5;

    @TempDir
    Path dir;

    private static SyntheticGguf gemma(String arch) {
        SyntheticGguf g = new SyntheticGguf();
        g.architecture = arch;
        g.qkvBiases = false;
        g.postNorms = true;
        g.layers = 3;
        g.headDim = 8; // != 16 / 4
        g.ropeFreqBase = 1_000_000f;
        g.floatKeys.put("rope.freq_base_swa", 10_000f);
        g.intKeys.put("attention.sliding_window", WINDOW);
        return g;
    }

    @Test
    void gemma2SoftCapsAndAlternatesLocalAndGlobalLayers() {
        SyntheticGguf g = gemma("gemma2");
        g.floatKeys.put("attn_logit_softcapping", 2f); // small caps so that tanh bends the logits
        g.floatKeys.put("final_logit_softcapping", 3f);
        try (Model model = Model.load(g.write(dir))) {
            DecoderSpec spec = model.spec();
            assertThat(spec.layers()).extracting(LayerSpec::slidingWindow).containsExactly(WINDOW, 0, WINDOW);
            assertThat(spec.layer(0).rope().freqBase()).isEqualTo(10_000f);
            assertThat(spec.layer(1).rope().freqBase()).isEqualTo(1_000_000f);
            assertThat(spec.layer(0).attnSoftCap()).isEqualTo(2f);
            assertThat(spec.finalLogitSoftCap()).isEqualTo(3f);
            assertThat(spec.embeddingScale()).isEqualTo((float) Math.sqrt(16));
            assertThat(spec.layer(0).queryScale()).isEqualTo(1f / (float) Math.sqrt(8));
            assertThat(spec.layer(0).attentionScale()).isEqualTo(1f);
            assertThat(model.kvLayout().kinds()).containsExactly(new LayerKind.Sliding(WINDOW), LayerKind.FULL,
                    new LayerKind.Sliding(WINDOW));
            assertMatchesReference(model);
            assertWindowedCacheGivesTheSameLogits(model);
        }
    }

    @Test
    void gemma3NormsQAndKAndMakesFiveOfSixLayersLocal() {
        SyntheticGguf g = gemma("gemma3");
        g.qkNorm = true;
        g.layers = 7;
        try (Model model = Model.load(g.write(dir))) {
            DecoderSpec spec = model.spec();
            assertThat(spec.layers()).extracting(l -> l.slidingWindow() != 0)
                    .containsExactly(true, true, true, true, true, false, true);
            assertThat(spec.layer(0).attnSoftCap()).isZero();
            assertThat(spec.finalLogitSoftCap()).isZero();
            assertThat(spec.layer(5).rope().freqBase()).isEqualTo(1_000_000f);
            assertThat(spec.layer(0).rope().freqBase()).isEqualTo(10_000f);
            assertMatchesReference(model);
            assertWindowedCacheGivesTheSameLogits(model);
        }
    }

    @Test
    void gemma3WithoutASlidingWindowIsAllGlobal() {
        SyntheticGguf g = gemma("gemma3");
        g.qkNorm = true;
        g.intKeys.remove("attention.sliding_window");
        try (Model model = Model.load(g.write(dir))) {
            assertThat(model.spec().layers()).allMatch(l -> l.slidingWindow() == 0);
            assertThat(model.kvLayout().hasSlidingLayers()).isFalse();
            assertMatchesReference(model);
        }
    }

    /** Prefill of 7 tokens (chunks of 3), then 17 decoded one by one: 24 positions, well past the window of 5. */
    private static void assertMatchesReference(Model model) {
        ModelConfig c = model.config();
        model.setPrefillChunk(3);
        ReferenceForward reference = new ReferenceForward(c, model.weights(), model.spec());
        KvCache cache = new FullKvCache(model.kvLayout(), GgmlType.F32);
        int[] tokens = tokens(c);
        float[] expected = null;
        for (int i = 0; i < 7; i++) {
            expected = reference.next(tokens[i]);
        }
        ReferenceForwardTest.assertClose(model.forward(tokens, 0, 7, cache), expected, 1e-5, 6);
        for (int pos = 7; pos < tokens.length; pos++) {
            ReferenceForwardTest.assertClose(model.forward(tokens, pos, 1, cache), reference.next(tokens[pos]), 1e-5, pos);
        }
    }

    private static void assertWindowedCacheGivesTheSameLogits(Model model) {
        int[] tokens = tokens(model.config());
        for (GgmlType type : new GgmlType[] {GgmlType.F16, GgmlType.F32}) {
            KvCache full = CacheOptions.full(type).newCache(model.kvLayout());
            KvCache windowed = CacheOptions.windowed(type).newCache(model.kvLayout());
            model.setPrefillChunk(4);
            assertThat(model.forward(tokens, 0, 9, windowed)).containsExactly(model.forward(tokens, 0, 9, full).clone());
            for (int pos = 9; pos < tokens.length; pos++) {
                float[] expected = model.forward(tokens, pos, 1, full).clone();
                assertThat(model.forward(tokens, pos, 1, windowed)).as("%s position %d", type, pos).containsExactly(expected);
            }
            // the local layers really dropped positions (storage grows in chunks of 256, so bytes do not show it here)
            assertThat(((RotatingKvCache) windowed).evicted()).isEqualTo(tokens.length - WINDOW);
        }
    }

    private static int[] tokens(ModelConfig c) {
        return new SplittableRandom(5).ints(24, 0, c.vocabSize()).toArray();
    }
}
