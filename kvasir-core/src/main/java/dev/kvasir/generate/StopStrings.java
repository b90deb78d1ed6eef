package dev.kvasir.generate;

import java.util.List;

/**
 * Finds user stop strings in streamed text, even when one spans several tokens: text that could be
 * the start of a stop string is held back until the next piece shows whether it is; the stop string
 * itself and everything after it are never released.
 */
final class StopStrings {
    private final List<String> stops;
    private String held = "";
    private boolean stopped;

    StopStrings(List<String> stops) {
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** Adds a decoded piece; returns the text that is now certain to be output (possibly empty). */
    String feed(String piece) {
        if (stopped) {
            return "";
        }
        String text = held + piece;
        int stopAt = firstStop(text);
        if (stopAt >= 0) {
            stopped = true;
            held = "";
            return text.substring(0, stopAt);
        }
        int release = text.length() - longestSuffixStartingAStop(text);
        held = text.substring(release);
        return text.substring(0, release);
    }

    boolean stopped() {
        return stopped;
    }

    /** The held-back text, released because generation ended without completing a stop string. */
    String flush() {
        String out = held;
        held = "";
        return out;
    }

    private int firstStop(String text) {
        int first = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    private int longestSuffixStartingAStop(String text) {
        int longest = 0;
        for (String stop : stops) {
            for (int k = Math.min(stop.length() - 1, text.length()); k > longest; k--) {
                if (text.regionMatches(text.length() - k, stop, 0, k)) {
                    longest = k;
                    break;
                }
            }
        }
        return longest;
    }
}
