package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteLevelTest {

    @Test
    void everyByteHasItsOwnPrintableCharacter() {
        Set<Character> chars = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteLevel.charOf(b);
            assertThat(Character.isWhitespace(c) || Character.isISOControl(c)).as("byte %d", b).isFalse();
            chars.add(c);
        }
        assertThat(chars).hasSize(256);
        // GPT-2's table: printable Latin-1 stays, the rest counts up from U+0100
        assertThat(ByteLevel.charOf('a')).isEqualTo('a');
        assertThat(ByteLevel.charOf(0)).isEqualTo('\u0100');
        assertThat(ByteLevel.charOf(' ')).isEqualTo('Ġ');
        assertThat(ByteLevel.charOf('\n')).isEqualTo('Ċ');
        assertThat(ByteLevel.charOf(0xAD)).isEqualTo('\u0143');
    }

    @Test
    void decodeInvertsEncodeOnAnyText() {
        String text = "Füßе 🦙\n\t\u0000\u00AD";
        assertThat(ByteLevel.encode(" the")).isEqualTo("Ġthe");
        assertThat(ByteLevel.decode(ByteLevel.encode(text))).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSingleByteOfAMultiByteCharacterDecodesToThatByte() {
        String emoji = ByteLevel.encode("🦙");
        assertThat(emoji).hasSize(4);
        assertThat(ByteLevel.decode(emoji.substring(0, 1))).containsExactly((byte) 0xF0);
    }
}
