package dev.kvasir.server;

import dev.kvasir.tools.ToolFormat;

/**
 * Streaming with tools: content streams as usual, but text that may start a tool call is held back, so a
 * call reaches the client as {@code tool_calls} deltas and never as content. Hermes calls may follow some
 * text (held from a possible {@code <tool_call>} on); Llama 3 and Mistral calls are the whole answer (held
 * while the answer so far could be the start of one). Not thread-safe: one per streamed choice.
 */
final class ToolCallHold {
    private final ToolFormat format;
    private final boolean active;
    private final StringBuilder all = new StringBuilder();
    private int emitted;
    private boolean holding;
    private boolean plain;

    ToolCallHold(ToolFormat format, boolean active) {
        this.format = format;
        this.active = active;
    }

    /** Adds generated text; returns what may be streamed as content now. */
    String feed(String text) {
        all.append(text);
        if (!active || plain) {
            return release(all.length());
        }
        if (holding) {
            return "";
        }
        if (format == ToolFormat.HERMES) {
            String marker = format.markers().get(0);
            int at = all.indexOf(marker, emitted);
            if (at >= 0) {
                holding = true;
                return release(at);
            }
            return release(all.length() - partialMarkerSuffix(marker));
        }
        String head = all.toString().stripLeading();
        for (String marker : format.markers()) {
            if (head.startsWith(marker)) {
                holding = true;
                return "";
            }
            if (marker.startsWith(head)) {
                return ""; // could still become a call
            }
        }
        plain = true;
        return release(all.length());
    }

    /** Text not streamed yet (at the end of a choice without calls). */
    String rest() {
        return release(all.length());
    }

    private String release(int upTo) {
        if (upTo <= emitted) {
            return "";
        }
        String out = all.substring(emitted, upTo);
        emitted = upTo;
        return out;
    }

    /** Length of the longest end of the text that is a proper prefix of {@code marker}. */
    private int partialMarkerSuffix(String marker) {
        for (int k = Math.min(marker.length() - 1, all.length() - emitted); k > 0; k--) {
            if (all.substring(all.length() - k).equals(marker.substring(0, k))) {
                return k;
            }
        }
        return 0;
    }
}
