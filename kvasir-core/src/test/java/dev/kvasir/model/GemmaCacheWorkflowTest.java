package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.tensor.GgmlType;
import dev.kvasir.workflow.DocumentCacher;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The prompt-cache workflows on gemma2 and gemma3 (sliding window 5, documents of 60 tokens, so the
 * local layers drop most positions), with a full cache and with a windowed one: each gives the same
 * greedy tokens as one uninterrupted run.
 */
class GemmaCacheWorkflowTest {
    private static final int WINDOW = 5;
    private static final int DOC = 60;

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of("gemma2", "gemma3").flatMap(arch -> Stream.of(
                Arguments.of(arch, CacheOptions.full()), Arguments.of(arch, CacheOptions.windowed(GgmlType.F16))));
    }

    private Model load(String arch) {
        SyntheticGguf g = new SyntheticGguf();
        g.architecture = arch;
        g.qkvBiases = false;
        g.postNorms = true;
        g.qkNorm = arch.equals("gemma3");
        g.layers = arch.equals("gemma3") ? 7 : 4;
        g.context = 128;
        g.floatKeys.put("rope.freq_base_swa", 10_000f);
        g.floatKeys.put("attn_logit_softcapping", 3f);
        g.intKeys.put("attention.sliding_window", WINDOW);
        return Model.load(g.write(dir));
    }

    private static int[] ids(int seed, int n, Model model) {
        return new SplittableRandom(seed).ints(n, 0, model.config().vocabSize()).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        return IntStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
    }

    /** Greedy tokens of doc + question in one run, on a fresh F16 cache. */
    private static int[] uninterrupted(Model model, int[] text, int n) {
        model.setPrefillChunk(512);
        return Greedy.generate(model, model.newCache(), text, n);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void cacheThenAskEqualsAnUninterruptedRun(String arch, CacheOptions options) {
        try (Model model = load(arch)) {
            int[] doc = ids(1, DOC, model);
            int[] question = ids(2, 6, model);
            Path file = dir.resolve("doc.kvc");
            PromptCache cache = PromptCache.create(model, options);
            new DocumentCacher(model, 7, 10).fill(cache, doc, file, (p, c) -> { });

            PromptCache loaded = PromptCache.load(file, model);
            assertThat(loaded.tokens()).containsExactly(doc);
            int[] asked = Greedy.generate(model, loaded.cache(), question, 12);
            assertThat(asked).containsExactly(uninterrupted(model, concat(doc, question), 12));
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void chunkedPrefillResumedAfterACrashEqualsAnUninterruptedRun(String arch, CacheOptions options) throws IOException {
        try (Model model = load(arch)) {
            int[] doc = ids(3, DOC, model);
            Path file = dir.resolve("crash.kvc");
            new DocumentCacher(model, 7, 10).fill(PromptCache.create(model, options), Arrays.copyOf(doc, 45), file,
                    (p, c) -> { });
            // a crash mid-checkpoint: the last record is torn
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(Files.size(file) - 9);
            }
            PromptCache resumed = PromptCache.load(file, model);
            assertThat(resumed.loadReport().intact()).isFalse();
            assertThat(resumed.size()).isLessThan(45).isGreaterThan(0);
            DocumentCacher.Result r = new DocumentCacher(model, 7, 10).fill(resumed, doc, file, (p, c) -> { });
            assertThat(r.reused()).isEqualTo(resumed.size() - r.computed());

            int[] question = ids(4, 5, model);
            int[] fromFile = Greedy.generate(model, PromptCache.load(file, model).cache(), question, 12);
            assertThat(fromFile).containsExactly(uninterrupted(model, concat(doc, question), 12));
        }
    }

    /**
     * Three turns, the session saved and reloaded between them (as {@code kvasir chat --session} does),
     * then an undo of the last turn and a different one: the same tokens as a run that never stopped.
     * A full cache trims back past the window; a windowed one cannot, says why and recomputes.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void chatSessionAcrossRestartsEqualsAnUninterruptedRun(String arch, CacheOptions options) {
        try (Model model = load(arch)) {
            Path file = dir.resolve("session.kvc");
            int[] conversation = new int[0];
            PromptCache session = PromptCache.create(model, options);
            for (int turn = 0; turn < 3; turn++) {
                int[] user = ids(10 + turn, 15, model);
                int[] prompt = concat(conversation, user);
                int reused = session.reuse(prompt);
                assertThat(reused).isEqualTo(conversation.length);
                int[] reply = reply(model, session, Arrays.copyOfRange(prompt, reused, prompt.length));
                assertThat(reply).containsExactly(uninterrupted(model, prompt, 8));
                conversation = concat(prompt, reply);
                session.save(file);
                session = PromptCache.load(file, model);
            }
            // undo the last turn (15 + 8 tokens, more than the window) and say something else
            int[] beforeLast = Arrays.copyOf(conversation, conversation.length - 23);
            int[] other = concat(beforeLast, ids(99, 15, model));
            int reused = session.reuse(other);
            if (options.kind() == CacheOptions.Kind.WINDOWED) {
                assertThat(reused).isZero(); // its local layers no longer hold what the undone turn replaced
                assertThat(PromptCache.load(file, model).whyNotTrim(23)).contains("sliding-window layers keep only");
            } else {
                assertThat(reused).isEqualTo(beforeLast.length);
            }
            int[] reply = reply(model, session, Arrays.copyOfRange(other, reused, other.length));
            assertThat(reply).containsExactly(uninterrupted(model, other, 8));
        }
    }

    private static int[] reply(Model model, PromptCache session, int[] input) {
        model.setPrefillChunk(4);
        int[] out = Greedy.generate(model, session.cache(), input, 8);
        session.accepted(concat(input, Arrays.copyOf(out, 7))); // the last token is sampled but not yet fed
        int[] fed = {out[7]};
        model.forward(fed, 0, 1, session.cache());
        session.accepted(fed);
        return out;
    }
}
