package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EncoderJsonTest {

    @Test
    void readsEscapesAndSurrogatePairsInFileOrder() {
        Map<String, Integer> m = EncoderJson.parse("""
                {
                  "\\"": 1, "\\\\": 2, "\\u0120the": 3, "\\ud83e\\udd99": 4, "raw ü": 5, "\\n\\t\\/": 6
                }""", "encoder.json");
        assertThat(m).containsExactly(Map.entry("\"", 1), Map.entry("\\", 2), Map.entry("Ġthe", 3),
                Map.entry("🦙", 4), Map.entry("raw ü", 5), Map.entry("\n\t/", 6));
        assertThat(EncoderJson.parse(" {} ", "x")).isEmpty();
    }

    @Test
    void rejectsOtherShapesWithTheFileAndOffset() {
        assertThatThrownBy(() -> EncoderJson.parse("{\"a\": \"b\"}", "enc.json"))
                .isInstanceOf(TokenizerException.class)
                .hasMessageStartingWith("enc.json: expected an integer token id at character 6");
        assertThatThrownBy(() -> EncoderJson.parse("{\"a\": 1, \"a\": 2}", "enc.json"))
                .hasMessageContaining("duplicate token 'a'");
        assertThatThrownBy(() -> EncoderJson.parse("{\"a\": 1", "enc.json")).hasMessageContaining("expected '}'");
        assertThatThrownBy(() -> EncoderJson.parse("[1]", "enc.json")).hasMessageContaining("expected '{'");
        assertThatThrownBy(() -> EncoderJson.parse("{\"a\\q\": 1}", "enc.json")).hasMessageContaining("bad escape");
    }
}
