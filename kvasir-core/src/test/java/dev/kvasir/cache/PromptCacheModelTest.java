package dev.kvasir.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.json.Json;
import dev.kvasir.model.Model;
import dev.kvasir.synth.ArchReferences;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prompt caches with the real stories260K (F32) and TinyLLama-v0 (Q4_0) models, and with the F32
 * synthetic model of every family on the architecture seam ({@code synthetic:<arch>}: qwen3,
 * smollm3, granite, phi3; llama.cpp's greedy ids on its long prompt are the reference). Prefill chunks of 8
 * tokens and prefixes that are multiples of 8 make every split evaluate the same matrix products, so
 * results must be bit-identical (the thread count stays fixed: the model's matrix products may round
 * differently with other counts, and before JIT warm-up; see {@link #sameBits}).
 */
class PromptCacheModelTest {
    private static final int CHUNK = 8;
    private static final String STORIES = "stories260K.gguf";
    private static final String SYNTHETIC = "synthetic:";
    private static final Map<String, Fixture> FIXTURES = new HashMap<>();

    @TempDir
    Path dir;

    /**
     * A model with p1's prompt and a greedy continuation: llama-server's ids for stories260K; for the
     * Q4_0 model (no llama.cpp reference here) its own greedy tokens computed from scratch.
     */
    private record Fixture(Model model, int[] prompt, int[] reference, int[] text) { }

    private static synchronized Fixture fixture(String name) {
        return FIXTURES.computeIfAbsent(name, PromptCacheModelTest::open);
    }

    private static Fixture open(String name) {
        if (name.startsWith(SYNTHETIC)) {
            String arch = name.substring(SYNTHETIC.length());
            Model model = Model.load(ArchReferences.model(arch, "f32"));
            model.setPrefillChunk(CHUNK);
            int[][] c = ArchReferences.promptAndGreedy(arch, "f32", 1);
            int[] text = IntStream.concat(Arrays.stream(c[0]), Arrays.stream(c[1])).toArray();
            return new Fixture(model, c[0], c[1], text);
        }
        Map<?, ?> json;
        try {
            json = (Map<?, ?>) Json.parse(Files.readString(SharedData.file("reference/p1_once.llama-server.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Model model = Model.load(SharedData.model(name));
        model.setPrefillChunk(CHUNK);
        int[] prompt = name.equals(STORIES) ? ints(json.get("prompt_token_ids"))
                : model.tokenizer().encode((String) json.get("prompt"), true, false);
        int[] reference = name.equals(STORIES) ? ints(json.get("generated_token_ids")) : scratchGreedy(model, prompt, 64);
        int[] text = IntStream.concat(Arrays.stream(prompt), Arrays.stream(reference)).toArray();
        return new Fixture(model, prompt, reference, text);
    }

    private static int[] scratchGreedy(Model model, int[] prompt, int count) {
        KvCache cache = model.newCache();
        float[] logits = model.forward(prompt, 0, prompt.length, cache);
        int[] tokens = new int[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = argmax(logits);
            logits = model.forward(tokens, i, 1, cache);
        }
        return tokens;
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }

    @AfterAll
    static void close() {
        FIXTURES.values().forEach(f -> f.model().close());
        FIXTURES.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {STORIES, "tinyllama-v0-q4_0.gguf", "synthetic:qwen3", "synthetic:smollm3", "synthetic:granite",
            "synthetic:phi3"})
    void generatingFromASavedAndLoadedCacheMatchesContinuingInProcess(String name) {
        Fixture f = fixture(name);
        Model model = f.model();
        int[] prompt = f.prompt();
        Path file = dir.resolve("p1.kvc");
        float[] expected = sameBits(() -> {
            PromptCache live = PromptCache.create(model, CacheOptions.full());
            float[] logits = model.forward(prompt, 0, prompt.length, live.cache()).clone();
            live.accepted(prompt);
            Steps steps = greedy(model, live, logits, 24, null);
            assertThat(steps.tokens).as("llama.cpp's (Q4_0: from-scratch) greedy output").containsExactly(Arrays.copyOf(f.reference(), 24));
            return steps.flat();
        }, () -> {
            PromptCache live = PromptCache.create(model, CacheOptions.full());
            float[] logits = model.forward(prompt, 0, prompt.length, live.cache()).clone();
            live.accepted(prompt);
            live.save(file);
            PromptCache loaded = PromptCache.load(file, model);
            assertThat(loaded.tokens()).containsExactly(prompt);
            return greedy(model, loaded, logits, 24, file).flat(); // saves (appends) and reloads half-way too
        });
        assertThat(expected).isNotEmpty();
    }

    @Test
    void identityNamesTheModelFileAndItsKvShape() {
        Model model = fixture(STORIES).model();
        ModelIdentity id = ModelIdentity.of(model);
        assertThat(id).isEqualTo(new ModelIdentity(model.gguf().fingerprint(), "llama", new KvLayout(5, 4, 8), 10000f, "norm"));
    }

    @ParameterizedTest
    @ValueSource(strings = {STORIES, "tinyllama-v0-q4_0.gguf", "synthetic:qwen3", "synthetic:smollm3", "synthetic:granite",
            "synthetic:phi3"})
    void cachedPrefixThenRestEqualsTheWholeFromScratch(String name) {
        Fixture f = fixture(name);
        Model model = f.model();
        int[] text = f.text();
        Path file = dir.resolve("a.kvc");
        sameBits(() -> model.forward(text, 0, 30, model.newCache()).clone(), () -> {
            PromptCache a = PromptCache.create(model, CacheOptions.full());
            model.forward(text, 0, 16, a.cache());
            a.accepted(Arrays.copyOf(text, 16));
            a.save(file);
            PromptCache loaded = PromptCache.load(file, model);
            return model.forward(text, 16, 14, loaded.cache()).clone();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {STORIES, "tinyllama-v0-q4_0.gguf", "synthetic:qwen3", "synthetic:smollm3", "synthetic:granite",
            "synthetic:phi3"})
    void trimThenReextendReproducesTheLogits(String name) {
        Fixture f = fixture(name);
        Model model = f.model();
        int[] text = f.text();
        PromptCache pc = PromptCache.create(model, CacheOptions.full());
        sameBits(() -> {
            pc.clear();
            float[] original = model.forward(text, 0, 30, pc.cache()).clone();
            pc.accepted(Arrays.copyOf(text, 30));
            return original;
        }, () -> {
            assertThat(pc.trim(14)).isEqualTo(14);
            float[] again = model.forward(text, 16, 14, pc.cache()).clone();
            pc.accepted(Arrays.copyOfRange(text, 16, 30));
            return again;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {STORIES, "tinyllama-v0-q4_0.gguf", "synthetic:qwen3", "synthetic:smollm3", "synthetic:granite",
            "synthetic:phi3"})
    void forkThenDivergeLeavesTheParentUnchanged(String name) {
        Fixture f = fixture(name);
        Model model = f.model();
        int[] text = f.text();
        sameBits(() -> model.forward(text, 0, 30, model.newCache()).clone(), () -> {
            PromptCache parent = PromptCache.create(model, CacheOptions.full());
            model.forward(text, 0, 16, parent.cache());
            parent.accepted(Arrays.copyOf(text, 16));
            PromptCache fork = parent.fork();
            model.forward(text, 40, 20, fork.cache());
            fork.accepted(Arrays.copyOfRange(text, 40, 60));
            fork.trim(30); // back into the shared prefix, then diverge again
            model.forward(text, 50, 9, fork.cache());
            float[] logits = model.forward(text, 16, 14, parent.cache()).clone();
            assertThat(parent.cache().size()).isEqualTo(30);
            return logits;
        });
    }

    /**
     * Asserts that both computations give the same bits. The tensor kernels' lane reductions may
     * round differently before and after JIT compilation, which can land between the two runs; a
     * real difference persists, so a mismatch is retried a few times with both sides recomputed.
     */
    private static float[] sameBits(Supplier<float[]> expected, Supplier<float[]> actual) {
        float[] e = null;
        float[] a = null;
        for (int attempt = 0; attempt < 6; attempt++) {
            e = expected.get();
            a = actual.get();
            if (Arrays.equals(e, a)) {
                return e;
            }
        }
        assertThat(a).containsExactly(e);
        return e;
    }

    private record Steps(int[] tokens, float[][] logits) {
        float[] flat() {
            float[] all = new float[tokens.length + logits.length * logits[0].length];
            for (int i = 0; i < tokens.length; i++) {
                all[i] = tokens[i];
            }
            for (int i = 0; i < logits.length; i++) {
                System.arraycopy(logits[i], 0, all, tokens.length + i * logits[0].length, logits[0].length);
            }
            return all;
        }
    }

    /** Greedy steps from {@code logits}; with a file, saves and reloads the cache half-way. */
    private static Steps greedy(Model model, PromptCache pc, float[] logits, int count, Path file) {
        int[] tokens = new int[count];
        float[][] all = new float[count][];
        float[] current = logits;
        for (int i = 0; i < count; i++) {
            if (file != null && i == count / 2) {
                pc.save(file);
                pc = PromptCache.load(file, model);
                assertThat(pc.loadReport().checkpoints()).isEqualTo(2);
            }
            tokens[i] = argmax(current);
            current = model.forward(tokens, i, 1, pc.cache()).clone();
            pc.accepted(tokens[i]);
            all[i] = current;
        }
        return new Steps(tokens, all);
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
