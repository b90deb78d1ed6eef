package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.cache.FullKvCache;
import dev.kvasir.cache.KvCache;
import dev.kvasir.tensor.GgmlType;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Batch invariance: splitting a prompt into prefill chunks of any size, or feeding it token by token as
 * decoding does, changes only how tokens are grouped into matrix products, and the kernels give every
 * token the same bits either way. So the logits, the greedy continuation and the KV cache itself are
 * identical — which is what lets a prompt cache (or the server's prefix cache) resume exactly where a
 * fresh run would be.
 */
class PrefillChunkTest {
    private static final int PROMPT = 40;
    private static final int GENERATED = 12;

    @ParameterizedTest
    @CsvSource({"stories260K.gguf, F32", "stories260K.gguf, F16", "tinyllama-v0-q4_0.gguf, F16",
        "llama-2-tiny-random-f16.gguf, F16"})
    void everyChunkingGivesIdenticalLogitsAndCaches(String file, GgmlType storage) {
        try (Model model = Model.load(SharedData.model(file))) {
            int[] prompt = new Random(file.hashCode()).ints(PROMPT, 1, model.config().vocabSize()).toArray();
            Supplier<KvCache> cache = () -> new FullKvCache(model.config().kvLayout(), storage);
            model.setPrefillChunk(PROMPT);
            KvCache wholeCache = cache.get();
            float[] whole = model.forward(prompt, 0, PROMPT, wholeCache).clone();
            float[] wholeNext = model.forward(prompt, 0, 1, wholeCache.copy()).clone();
            int[] wholeTokens = Greedy.generate(model, cache.get(), prompt, GENERATED);
            for (int chunk : new int[] {1, 2, 3, 7, 29, 512}) {
                model.setPrefillChunk(chunk);
                KvCache c = cache.get();
                float[] logits = model.forward(prompt, 0, PROMPT, c);
                String what = file + " " + storage + " chunk " + chunk;
                assertThat(logits).as(what).containsExactly(whole);
                // The next token attends over every stored K and V: equal bits here mean equal caches.
                assertThat(model.forward(prompt, 0, 1, c)).as(what + " cache").containsExactly(wholeNext);
                assertThat(Greedy.generate(model, cache.get(), prompt, GENERATED)).as(what).containsExactly(wholeTokens);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"stories260K.gguf", "tinyllama-v0-q4_0.gguf"})
    void promptFedInPiecesMatchesOnePass(String file) {
        try (Model model = Model.load(SharedData.model(file))) {
            int[] prompt = IntStream.range(0, 30).map(i -> 1 + (i * 37) % (model.config().vocabSize() - 1)).toArray();
            model.setPrefillChunk(prompt.length);
            float[] whole = model.forward(prompt, 0, prompt.length, model.newCache()).clone();
            model.setPrefillChunk(4);
            KvCache cache = model.newCache();
            model.forward(prompt, 0, 11, cache);
            model.forward(prompt, 11, 1, cache);
            float[] logits = model.forward(prompt, 12, prompt.length - 12, cache);
            assertThat(cache.size()).isEqualTo(prompt.length);
            assertThat(logits).containsExactly(whole);
        }
    }
}
