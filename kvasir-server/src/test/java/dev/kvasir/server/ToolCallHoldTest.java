package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.tools.ToolFormat;
import org.junit.jupiter.api.Test;

/** Streamed content never carries (the start of) a tool call; plain text streams as it comes. */
class ToolCallHoldTest {
    static String feedAll(ToolCallHold h, String... pieces) {
        StringBuilder out = new StringBuilder();
        for (String p : pieces) {
            out.append(h.feed(p));
        }
        return out.toString();
    }

    @Test
    void hermesStreamsTextBeforeTheCallAndHoldsTheCall() {
        ToolCallHold h = new ToolCallHold(ToolFormat.HERMES, true);
        assertThat(feedAll(h, "Let me ", "check <")).isEqualTo("Let me check ");
        assertThat(h.feed("tool_")).isEmpty();
        assertThat(feedAll(h, "call>\n{\"name\": \"f\"}", "\n</tool_call>")).isEmpty();
    }

    @Test
    void hermesReleasesALessThanThatIsNotACall() {
        ToolCallHold h = new ToolCallHold(ToolFormat.HERMES, true);
        assertThat(feedAll(h, "a <", "b")).isEqualTo("a <b");
    }

    @Test
    void llamaHoldsOnlyAnAnswerThatStartsLikeACall() {
        ToolCallHold call = new ToolCallHold(ToolFormat.LLAMA3, true);
        assertThat(feedAll(call, " ", "{\"name\"", ": \"f\"}")).isEmpty();
        ToolCallHold text = new ToolCallHold(ToolFormat.LLAMA3, true);
        assertThat(feedAll(text, " ", "Hello {world}")).isEqualTo(" Hello {world}");
        assertThat(new ToolCallHold(ToolFormat.MISTRAL, false).feed("[{")).isEqualTo("[{");
    }
}
