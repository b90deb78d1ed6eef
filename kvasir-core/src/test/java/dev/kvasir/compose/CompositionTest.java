package dev.kvasir.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.SharedData;
import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.KvCache;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.generate.Generator;
import dev.kvasir.model.Model;
import dev.kvasir.tensor.GgmlType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Composition}: documents cached after a shared prefix, composed in another order. At a
 * recompute fraction of 1 the composed cache is a prefill of the same ids, bit for bit; at 0 it is
 * the documents' own K/V (keys turned to their new positions); in between exactly the chosen share
 * of tokens is recomputed above the selection layers.
 */
class CompositionTest {
    static final String PREFIX = "Once upon a time, there was a little girl named Lily.";
    static final String DOC_A = " She had a red ball and she liked to play with it in the park every day.";
    static final String DOC_B = " Tom was a big brown dog. He liked to run, jump and bark at the birds.";
    static final String DOC_C = " One day it rained, so they stayed inside and read a book about the sea.";
    static final String QUESTION = " Then Lily and Tom";

    @TempDir
    Path tmp;

    private record Pieces(PromptCache prefix, List<PromptCache> docs, int[] ids) {
    }

    /** The prefix cache, each document cached after it, and the composed prompt's ids (prefix, C, A, B). */
    private static Pieces pieces(Generator g, Path dir) {
        Model model = g.model();
        PromptCache prefix = cached(model, g.tokenize(PREFIX), dir.resolve("sys.kvc"));
        PromptCache a = cached(model, Segments.after(prefix.tokens(), g, DOC_A), dir.resolve("a.kvc"));
        PromptCache b = cached(model, Segments.after(prefix.tokens(), g, DOC_B), dir.resolve("b.kvc"));
        PromptCache c = cached(model, Segments.after(prefix.tokens(), g, DOC_C), dir.resolve("c.kvc"));
        List<PromptCache> docs = List.of(c, a, b);
        int[] ids = prefix.tokens();
        for (PromptCache d : docs) {
            int[] t = d.tokens();
            ids = Segments.join(ids, Arrays.copyOfRange(t, prefix.size(), t.length));
        }
        return new Pieces(prefix, docs, ids);
    }

    private static PromptCache cached(Model model, int[] ids, Path file) {
        PromptCache cache = PromptCache.create(model, CacheOptions.full());
        model.forward(ids, 0, ids.length, cache.cache());
        cache.accepted(ids);
        cache.save(file);
        return PromptCache.load(file, model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "tinyllama-v0-q4_0.gguf"})
    void fullRecomputeEqualsAPrefillOfTheSameIdsBitForBit(String name) {
        try (Generator g = Generator.load(SharedData.model(name))) {
            Pieces p = pieces(g, tmp);
            Composition.Result r = Composition.compose(g.model(), p.prefix(), p.docs(), 1.0);
            int docTokens = p.ids().length - p.prefix().size();
            assertThat(r.recomputedTokens()).isEqualTo(docTokens);
            assertThat(r.cache().tokens()).containsExactly(p.ids());

            KvCache fresh = g.model().newCache();
            g.model().forward(p.ids(), 0, p.ids().length, fresh);
            assertSameRows(r.cache().cache(), fresh, 0, p.ids().length);

            int[] question = Segments.continuation(g, QUESTION);
            float[] composed = g.model().forward(question, 0, question.length, r.cache().cache()).clone();
            float[] full = g.model().forward(question, 0, question.length, fresh).clone();
            assertThat(composed).containsExactly(full);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "tinyllama-v0-q4_0.gguf"})
    void zeroRecomputeIsTheDocumentsOwnKvWithKeysTurned(String name) {
        try (Generator g = Generator.load(SharedData.model(name))) {
            Pieces p = pieces(g, tmp);
            Composition.Result r = Composition.compose(g.model(), p.prefix(), p.docs(), 0.0);
            assertThat(r.recomputedTokens()).isZero();
            KvCache out = r.cache().cache();
            int s = p.prefix().size();
            assertSameRows(out, p.prefix().cache(), 0, s);
            // the first document keeps its positions: its rows are copied unchanged
            PromptCache first = p.docs().getFirst();
            int n = first.size() - s;
            int kvDim = g.model().config().kvDim();
            for (int layer = 0; layer < g.model().config().blockCount(); layer++) {
                float[][] got = rows(out, layer, s, n, kvDim);
                float[][] own = rows(first.cache(), layer, s, n, kvDim);
                assertThat(got[0]).containsExactly(own[0]);
                assertThat(got[1]).containsExactly(own[1]);
            }
            // a later document's values are copied, its keys turned by its new offset
            PromptCache second = p.docs().get(1);
            int m = second.size() - s;
            for (int layer = 0; layer < g.model().config().blockCount(); layer++) {
                float[][] got = rows(out, layer, s + n, m, kvDim);
                float[][] own = rows(second.cache(), layer, s, m, kvDim);
                assertThat(got[1]).containsExactly(own[1]);
                assertThat(got[0]).isNotEqualTo(own[0]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.15, 0.30})
    void aFractionRecomputesThatShareAndKeepsTheRestAboveTheSelectionLayers(double fraction) {
        try (Generator g = Generator.load(SharedData.model("stories260K.gguf"))) {
            Pieces p = pieces(g, tmp);
            int docTokens = p.ids().length - p.prefix().size();
            Composition.Result plain = Composition.compose(g.model(), p.prefix(), p.docs(), 0.0);
            Composition.Result r = Composition.compose(g.model(), p.prefix(), p.docs(), fraction);
            Composition.Result again = Composition.compose(g.model(), p.prefix(), p.docs(), fraction);
            assertThat(r.recomputedTokens()).isEqualTo((int) Math.ceil(fraction * docTokens));

            int s = p.prefix().size();
            int kvDim = g.model().config().kvDim();
            int layers = g.model().config().blockCount();
            int changedAbove = 0;
            for (int layer = 0; layer < layers; layer++) {
                float[][] got = rows(r.cache().cache(), layer, s, docTokens, kvDim);
                float[][] base = rows(plain.cache().cache(), layer, s, docTokens, kvDim);
                assertThat(got[1]).containsExactly(rows(again.cache().cache(), layer, s, docTokens, kvDim)[1]);
                if (layer >= Composition.SELECT_LAYERS) {
                    for (int t = 0; t < docTokens; t++) {
                        boolean same = Arrays.equals(got[1], t * kvDim, (t + 1) * kvDim, base[1], t * kvDim, (t + 1) * kvDim);
                        changedAbove += same ? 0 : 1;
                    }
                }
            }
            int perLayer = r.recomputedTokens();
            assertThat(changedAbove).isPositive().isLessThanOrEqualTo(perLayer * (layers - Composition.SELECT_LAYERS));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"prefix", "model", "kind"})
    void mismatchedPiecesAreRefusedInOneLine(String what) {
        try (Generator g = Generator.load(SharedData.model("stories260K.gguf"))) {
            Pieces p = pieces(g, tmp);
            PromptCache bad = switch (what) {
                case "prefix" -> cached(g.model(), g.tokenize(DOC_A), tmp.resolve("bad.kvc"));
                case "model" -> {
                    try (Model other = Model.load(SharedData.model("tinyllama-v0-q4_0.gguf"))) {
                        PromptCache c = PromptCache.create(other, CacheOptions.full());
                        yield c;
                    }
                }
                default -> {
                    PromptCache c = PromptCache.create(g.model(), CacheOptions.full(GgmlType.F32));
                    yield c;
                }
            };
            assertThatThrownBy(() -> Composition.compose(g.model(), p.prefix(), List.of(p.docs().get(0), bad), 0.15))
                    .isInstanceOf(KvasirException.class)
                    .hasMessageNotContaining("\n")
                    .hasMessageContaining(switch (what) {
                        case "prefix" -> "bad.kvc: does not continue the prefix";
                        case "model" -> "made for another model";
                        default -> "differs from the prefix's";
                    });
        }
    }

    private static void assertSameRows(KvCache a, KvCache b, int pos, int n) {
        int kvDim = a.layout().kvDim();
        for (int layer = 0; layer < a.layout().layers(); layer++) {
            float[][] x = rows(a, layer, pos, n, kvDim);
            float[][] y = rows(b, layer, pos, n, kvDim);
            assertThat(x[0]).as("keys of layer %d", layer).containsExactly(y[0]);
            assertThat(x[1]).as("values of layer %d", layer).containsExactly(y[1]);
        }
    }

    private static float[][] rows(KvCache c, int layer, int pos, int n, int kvDim) {
        float[] k = new float[n * kvDim];
        float[] v = new float[n * kvDim];
        c.read(layer, pos, n, k, v);
        return new float[][] {k, v};
    }

}
