package dev.kvasir.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.sample.SamplerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class GenerationTest {
    private static final String[] WORDS = {"Hel", "lo", " wor", "ld", "!"}; // tokens 1..5
    private static final int[] PROMPT = {1, 2};

    private static Generation start(ScriptedBackend backend, GenerationRequest request, ScriptedBackend.CountingCache cache) {
        return new Generation(backend, request, cache);
    }

    private static GenerationRequest greedy(int maxTokens) {
        return GenerationRequest.of(PROMPT, maxTokens, SamplerSettings.greedy());
    }

    @Test
    void stopsAtMaxTokensWithoutFeedingTheLastToken() {
        ScriptedBackend backend = ScriptedBackend.of(WORDS, new int[] {3, 4, 5, 1, 2});
        var cache = new ScriptedBackend.CountingCache();
        List<String> texts = new ArrayList<>();
        GenerationResult result = start(backend, greedy(3), cache).run((id, text) -> texts.add(id + ":" + text));

        assertThat(result.generatedTokens()).containsExactly(3, 4, 5);
        assertThat(result.text()).isEqualTo(" world!");
        assertThat(result.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(texts).containsExactly("3: wor", "4:ld", "5:!");
        assertThat(backend.fed).containsExactly(1, 2, 3, 4);
        assertThat(cache.size()).isEqualTo(4);
        assertThat(result.timings().promptTokens()).isEqualTo(2);
        assertThat(result.timings().generatedTokens()).isEqualTo(3);
    }

    @Test
    void zeroMaxTokensOnlyProcessesTheInput() {
        ScriptedBackend backend = ScriptedBackend.of(WORDS, new int[] {3});
        var cache = new ScriptedBackend.CountingCache();
        Generation g = start(backend, greedy(0), cache);
        assertThat(g.hasNext()).isFalse();
        assertThat(g.result().generatedTokens()).isEmpty();
        assertThat(cache.size()).isEqualTo(2);
        assertThatThrownBy(g::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void stopsAtEndOfGenerationWhichIsNotOutput() {
        ScriptedBackend backend = ScriptedBackend.of(WORDS, new int[] {3, 4, ScriptedBackend.EOG, 5});
        GenerationResult result = start(backend, greedy(10), new ScriptedBackend.CountingCache()).run((id, t) -> {});
        assertThat(result.generatedTokens()).containsExactly(3, 4);
        assertThat(result.text()).isEqualTo(" world");
        assertThat(result.stopReason()).isEqualTo(StopReason.END_OF_GENERATION);
    }

    @Test
    void stopStringAcrossTokensIsNeverOutput() {
        ScriptedBackend backend = ScriptedBackend.of(WORDS, new int[] {1, 2, 3, 4, 5});
        GenerationRequest request = greedy(10).withStopStrings(List.of("o wo"));
        List<GeneratedToken> steps = start(backend, request, new ScriptedBackend.CountingCache()).stream().toList();
        assertThat(steps).containsExactly(new GeneratedToken(1, "Hel"), new GeneratedToken(2, "l"),
                new GeneratedToken(3, ""));

        Generation g = start(ScriptedBackend.of(WORDS, new int[] {1, 2, 3, 4, 5}), request,
                new ScriptedBackend.CountingCache());
        GenerationResult result = g.run((id, t) -> {});
        assertThat(result.text()).isEqualTo("Hell");
        assertThat(result.stopReason()).isEqualTo(StopReason.STOP_STRING);
        assertThat(result.generatedTokens()).containsExactly(1, 2, 3);
    }

    @Test
    void heldBackTextIsReleasedWhenGenerationEndsOtherwise() {
        ScriptedBackend backend = ScriptedBackend.of(WORDS, new int[] {1, 2, ScriptedBackend.EOG});
        GenerationRequest request = greedy(10).withStopStrings(List.of("lo!"));
        List<GeneratedToken> steps = start(backend, request, new ScriptedBackend.CountingCache()).stream().toList();
        // "Hel" may start "lo!" with its "l"; "lo" after it still may
        assertThat(steps).containsExactly(new GeneratedToken(1, "He"), new GeneratedToken(2, "l"),
                new GeneratedToken(GeneratedToken.NO_TOKEN, "lo"));
    }

    @Test
    void aResumedGenerationKeepsTheStopStringStartAndTheHalfCharacterHeldBeforeIt() {
        // tokens: 1 = "Hel", 2 = first byte of 'é', 3 = its second byte, 4 = "lo"; earlier output: 1, 2
        byte[][] pieces = {{}, {'H', 'e', 'l'}, {(byte) 0xC3}, {(byte) 0xA9}, {'l', 'o'}};
        GenerationRequest request = greedy(10).withStopStrings(List.of("lé"));
        ScriptedBackend backend = ScriptedBackend.of(WORDS, new int[] {3, 4, 4}).withPieces(pieces);
        GenerationResult resumed = new Generation(backend, request, new ScriptedBackend.CountingCache(), new int[] {1, 2})
                .run((id, t) -> {});
        assertThat(resumed.stopReason()).as("'l' held before the checkpoint completes the stop").isEqualTo(StopReason.STOP_STRING);
        assertThat(resumed.text()).isEmpty();

        GenerationResult noStop = new Generation(backend.withPieces(pieces), greedy(2), new ScriptedBackend.CountingCache(),
                new int[] {1, 2}).run((id, t) -> {});
        assertThat(noStop.text()).as("the held <0xC3> completes 'é'").isEqualTo("élo");
    }

    @Test
    void utf8CharactersSplitAcrossTokensAreNeverSplitInOutput() {
        byte[][] pieces = {{}, {(byte) 0xC3}, {(byte) 0xA9}, {'a'}, {(byte) 0xE2}};
        ScriptedBackend backend = ScriptedBackend.of(WORDS, new int[] {1, 2, 3, 4}).withPieces(pieces);
        List<GeneratedToken> steps = start(backend, greedy(4), new ScriptedBackend.CountingCache()).stream().toList();
        assertThat(steps).containsExactly(new GeneratedToken(1, ""), new GeneratedToken(2, "é"),
                new GeneratedToken(3, "a"), new GeneratedToken(4, ""), new GeneratedToken(GeneratedToken.NO_TOKEN, "\uFFFD"));
    }

    @Test
    void cancellationStopsBeforeTheNextForwardPass() {
        ScriptedBackend backend = ScriptedBackend.of(WORDS, new int[] {3, 4, 5, 1});
        var cache = new ScriptedBackend.CountingCache();
        Cancellation cancel = new Cancellation();
        GenerationRequest request = greedy(10).withCancellation(cancel);
        List<Integer> seen = new ArrayList<>();
        GenerationResult result = start(backend, request, cache).run((id, t) -> {
            seen.add(id);
            if (seen.size() == 2) {
                cancel.cancel();
            }
        });
        assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(result.generatedTokens()).containsExactly(3, 4);
        assertThat(backend.fed).containsExactly(1, 2, 3);
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void cancelledBeforeStartComputesNothing() {
        ScriptedBackend backend = ScriptedBackend.of(WORDS, new int[] {3});
        Cancellation cancel = new Cancellation();
        cancel.cancel();
        GenerationResult result = start(backend, greedy(10).withCancellation(cancel), new ScriptedBackend.CountingCache())
                .run((id, t) -> {});
        assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(backend.fed).isEmpty();
        assertThat(result.timings().promptTokens()).isZero();
    }

    @Test
    void stopsWhenTheContextIsFull() {
        ScriptedBackend backend = ScriptedBackend.of(WORDS, new int[] {3, 4, 5, 1, 2}).withContextLength(4);
        var cache = new ScriptedBackend.CountingCache();
        GenerationResult result = start(backend, greedy(10), cache).run((id, t) -> {});
        assertThat(result.stopReason()).isEqualTo(StopReason.CONTEXT_FULL);
        assertThat(result.generatedTokens()).containsExactly(3, 4, 5);
        assertThat(cache.size()).isEqualTo(4);
    }

    @Test
    void continuesFromTheCacheContents() {
        ScriptedBackend backend = ScriptedBackend.of(WORDS, new int[] {3, 4});
        var cache = new ScriptedBackend.CountingCache();
        cache.commit(7);
        GenerationResult result = start(backend, greedy(2), cache).run((id, t) -> {});
        assertThat(result.generatedTokens()).containsExactly(3, 4);
        assertThat(cache.size()).isEqualTo(7 + 2 + 1);
    }

    @Test
    void resultIsOnlyAvailableAtTheEnd() {
        Generation g = start(ScriptedBackend.of(WORDS, new int[] {3, 4}), greedy(2), new ScriptedBackend.CountingCache());
        g.next();
        assertThatThrownBy(g::result).isInstanceOf(IllegalStateException.class);
    }
}
