package dev.kvasir.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringsTest {

    /** Feeds the pieces and returns what was released, with "|" between pieces' releases. */
    private static String run(StopStrings stops, String... pieces) {
        StringBuilder out = new StringBuilder();
        for (String piece : pieces) {
            out.append(stops.feed(piece)).append('|');
        }
        return out.toString();
    }

    @Test
    void stopStringInsideOnePieceCutsTheText() {
        StopStrings stops = new StopStrings(List.of("END"));
        assertThat(run(stops, "abc", "xENDyz", "more")).isEqualTo("abc|x||");
        assertThat(stops.stopped()).isTrue();
        assertThat(stops.flush()).isEmpty();
    }

    @Test
    void stopStringAcrossPiecesIsHeldBackThenDropped() {
        StopStrings stops = new StopStrings(List.of("\nUser:"));
        assertThat(run(stops, "Hi", " there\n", "Us", "er", ":", " x")).isEqualTo("Hi| there|||||");
        assertThat(stops.stopped()).isTrue();
    }

    @Test
    void falseStartIsReleasedOnceItCannotBeAStop() {
        StopStrings stops = new StopStrings(List.of("\nUser:"));
        assertThat(run(stops, "a\n", "Us", "ually")).isEqualTo("a||\nUsually|");
        assertThat(stops.stopped()).isFalse();
    }

    @Test
    void heldTextIsFlushedAtTheEnd() {
        StopStrings stops = new StopStrings(List.of("STOP"));
        assertThat(run(stops, "go ST")).isEqualTo("go |");
        assertThat(stops.flush()).isEqualTo("ST");
    }

    @Test
    void earliestOfSeveralStopsWins() {
        StopStrings stops = new StopStrings(List.of("world", "lo w", ""));
        assertThat(run(stops, "hello world")).isEqualTo("hel|");
    }

    @Test
    void overlappingPrefixesHoldTheLongestCandidate() {
        StopStrings stops = new StopStrings(List.of("aab"));
        assertThat(run(stops, "xa", "a", "a", "b")).isEqualTo("x||a||");
        assertThat(stops.stopped()).isTrue();
    }

    @Test
    void noStopsReleasesEverything() {
        StopStrings stops = new StopStrings(List.of());
        assertThat(run(stops, "a", "", "é")).isEqualTo("a||é|");
    }
}
