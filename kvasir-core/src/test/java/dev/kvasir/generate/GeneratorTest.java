package dev.kvasir.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.cache.KvCache;
import dev.kvasir.sample.Sampler;
import dev.kvasir.sample.SamplerSettings;
import dev.kvasir.sample.SamplerState;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The library API on the real stories260K model against llama-server's greedy outputs. */
class GeneratorTest {
    private static Generator generator;

    @BeforeAll
    static void load() {
        generator = Generator.load(SharedData.model("stories260K.gguf"));
    }

    @AfterAll
    static void close() {
        if (generator != null) {
            generator.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"p1_once.llama-server.json", "p3_lily_tom.llama-server.json"})
    void greedyGenerationMatchesLlamaServer(String name) {
        LlamaServerReference ref = LlamaServerReference.load(name);
        int[] prompt = generator.tokenize(ref.prompt());
        assertThat(prompt).containsExactly(ref.promptTokenIds());

        StringBuilder streamed = new StringBuilder();
        GenerationResult result = generator.generate(GenerationRequest.of(prompt, 64, SamplerSettings.greedy()),
                generator.newCache(), (id, text) -> streamed.append(text));
        assertThat(result.generatedTokens()).containsExactly(ref.generatedTokenIds());
        assertThat(result.text()).isEqualTo(ref.text()).isEqualTo(streamed.toString());
        assertThat(result.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
    }

    @Test
    void continuingFromTheCacheGivesTheSameTokensAsOneRun() {
        LlamaServerReference ref = LlamaServerReference.load("p1_once.llama-server.json");
        int[] expected = ref.generatedTokenIds();
        KvCache cache = generator.newCache();
        Generation first = generator.start(GenerationRequest.of(ref.promptTokenIds(), 24, SamplerSettings.greedy()), cache);
        int[] head = first.stream().mapToInt(GeneratedToken::token).toArray();
        assertThat(head).containsExactly(Arrays.copyOf(expected, 24));
        assertThat(cache.size()).isEqualTo(ref.promptTokenIds().length + 23); // the last token was never fed

        // the second request feeds that last token and goes on where the first stopped
        GenerationResult rest = generator.generate(
                GenerationRequest.of(new int[] {head[23]}, 40, SamplerSettings.greedy()), cache, (id, t) -> {});
        assertThat(rest.generatedTokens()).containsExactly(Arrays.copyOfRange(expected, 24, 64));
    }

    @Test
    void checkpointedSamplerAndCacheResumeARandomGenerationExactly() {
        SamplerSettings settings = SamplerSettings.defaults().withSeed(1234).withRepeatPenalty(1.1f, 64);
        int[] prompt = generator.tokenize("Lily and Tom");
        int[] whole = generator.start(new GenerationRequest(prompt, 40, new Sampler(settings), List.of(),
                Cancellation.none()), generator.newCache()).stream().mapToInt(GeneratedToken::token).toArray();

        Sampler sampler = new Sampler(settings);
        KvCache cache = generator.newCache();
        int[] head = generator.start(new GenerationRequest(prompt, 15, sampler, List.of(), Cancellation.none()), cache)
                .stream().mapToInt(GeneratedToken::token).toArray();
        SamplerState checkpoint = sampler.state();
        KvCache saved = cache.copy();

        Sampler restored = Sampler.restore(settings, checkpoint);
        int[] tail = generator.start(new GenerationRequest(new int[] {head[14]}, 25, restored, List.of(),
                Cancellation.none()), saved).stream().mapToInt(GeneratedToken::token).toArray();
        assertThat(IntStream.concat(Arrays.stream(head), Arrays.stream(tail)).toArray()).containsExactly(whole);
    }

    @Test
    void cancellingKeepsWhatWasComputed() {
        Cancellation cancel = new Cancellation();
        KvCache cache = generator.newCache();
        int[] prompt = generator.tokenize("Once upon a time");
        GenerationResult result = generator.generate(
                GenerationRequest.of(prompt, 64, SamplerSettings.greedy()).withCancellation(cancel), cache,
                (id, text) -> cancel.cancel());
        assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(result.generatedTokens()).hasSize(1);
        assertThat(cache.size()).isEqualTo(prompt.length);
    }
}
