package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenDecoderTest {

    /** Feeds the UTF-8 bytes of text one by one, as byte-fallback tokens would arrive. */
    private static List<String> feedBytes(TokenDecoder decoder, String text) {
        List<String> out = new ArrayList<>();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            out.add(decoder.acceptBytes(new byte[] {b}));
        }
        return out;
    }

    @Test
    void holdsEmojiUntilItsLastByte() {
        TokenDecoder d = new TokenDecoder(null, false);
        assertThat(feedBytes(d, "a😀")).containsExactly("a", "", "", "", "😀");
        assertThat(d.hasPending()).isFalse();
    }

    @Test
    void holdsCjkUntilComplete() {
        TokenDecoder d = new TokenDecoder(null, false);
        assertThat(feedBytes(d, "日本")).containsExactly("", "", "日", "", "", "本");
    }

    @Test
    void randomSplitsNeverEmitHalfCharacters() {
        String text = "Grüße 日本語 😀🦙 naïve ✅ end";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            TokenDecoder d = new TokenDecoder(null, false);
            StringBuilder all = new StringBuilder();
            int i = 0;
            while (i < bytes.length) {
                int n = Math.min(bytes.length - i, 1 + random.nextInt(5));
                byte[] piece = java.util.Arrays.copyOfRange(bytes, i, i + n);
                String emitted = d.acceptBytes(piece);
                assertThat(emitted).doesNotContain("\uFFFD");
                all.append(emitted);
                i += n;
            }
            all.append(d.flush());
            assertThat(all.toString()).isEqualTo(text);
        }
    }

    @Test
    void malformedBytesAreReplacedNotHeldForever() {
        TokenDecoder d = new TokenDecoder(null, false);
        assertThat(d.acceptBytes(new byte[] {(byte) 0xE6})).isEmpty();
        assertThat(d.acceptBytes(new byte[] {'a'})).isEqualTo("\uFFFDa");
        assertThat(d.acceptBytes(new byte[] {(byte) 0x80})).isEqualTo("\uFFFD");
        assertThat(d.acceptBytes(new byte[] {(byte) 0xF0, (byte) 0x9F})).isEmpty();
        assertThat(d.flush()).isEqualTo("\uFFFD");
        assertThat(d.hasPending()).isFalse();
    }
}
