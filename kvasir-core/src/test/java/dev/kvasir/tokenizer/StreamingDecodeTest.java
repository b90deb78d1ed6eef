package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated ids streamed through {@link Tokenizer#newDecoder()} with real vocabularies, where multi-byte
 * characters really do arrive split: SPM byte-fallback tokens (&lt;0xF0&gt;...) and byte-level BPE tokens that
 * hold part of a character. No emitted chunk may contain half a character.
 */
class StreamingDecodeTest {
    private static final String TEXT = "Grüße, 日本語 😀🦙 naïve ✅ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﷽ end";

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "phi-3", "gpt-2", "deepseek-llm", "gpt-neox"})
    void neverSplitsACharacter(String vocab) {
        Tokenizer tokenizer = TestTokenizers.gguf(vocab);
        int[] ids = tokenizer.encode(TEXT, false, false);
        TokenDecoder decoder = tokenizer.newDecoder();
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        StringBuilder streamed = new StringBuilder();
        int heldBack = 0;
        for (int id : ids) {
            byte[] piece = tokenizer.pieceBytes(id);
            pieces.writeBytes(piece);
            String chunk = decoder.accept(id);
            assertThat(chunk).as("chunk of token %d", id).doesNotContain("\uFFFD");
            assertThat(isWellFormed(chunk)).as("surrogates of chunk %s", chunk).isTrue();
            heldBack += chunk.isEmpty() && piece.length > 0 ? 1 : 0;
            streamed.append(chunk);
        }
        streamed.append(decoder.flush());
        // the test means something only if some token really ended inside a character
        assertThat(heldBack).as("tokens that end inside a character").isPositive();
        assertThat(streamed.toString()).isEqualTo(pieces.toString(StandardCharsets.UTF_8)).contains("😀🦙");
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
