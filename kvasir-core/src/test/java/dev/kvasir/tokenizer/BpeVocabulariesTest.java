package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeVocabulariesTest {
    @TempDir
    Path dir;

    private Vocabulary load(String encoderJson, String vocabBpe) throws IOException {
        Path encoder = Files.writeString(dir.resolve("encoder.json"), encoderJson);
        Path merges = Files.writeString(dir.resolve("vocab.bpe"), vocabBpe);
        return BpeVocabularies.fromEncoderJson(encoder, merges, "gpt-2", List.of("<|endoftext|>"), 5, 5, false);
    }

    @Test
    void readsTokensMergesAndAppendsSpecialTokensAsControl() throws IOException {
        Vocabulary v = load("{\"h\": 0, \"i\": 1, \"Ġ\": 2, \"hi\": 3, \"Ġhi\": 4}", "#version: 0.2\nh i\nĠ hi\n");
        assertThat(v.size()).isEqualTo(6);
        assertThat(v.merges()).containsExactly("h i", "Ġ hi");
        assertThat(v.isControl(5)).isTrue();
        assertThat(v.isNormal(4)).isTrue();
        Tokenizer t = Tokenizer.of(v);
        assertThat(t.encode("hi hi<|endoftext|>", false, true)).containsExactly(3, 4, 5);
        assertThat(t.decode(new int[] {3, 4, 5})).isEqualTo("hi hi");
    }

    @Test
    void llama3SpecialTokensHaveTheirRealIds() {
        List<String> special = BpeVocabularies.llama3SpecialTokens();
        assertThat(special).hasSize(256);
        assertThat(special.get(0)).isEqualTo("<|begin_of_text|>");
        assertThat(special.get(128009 - 128000)).isEqualTo("<|eot_id|>");
        assertThat(special.getLast()).isEqualTo("<|reserved_special_token_247|>");
        assertThat(special).doesNotHaveDuplicates();
    }

    @Test
    void refusesBadFilesWithOneLineNamingTheFile() throws IOException {
        assertThatThrownBy(() -> load("{\"a\": \"0\"}", ""))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("encoder.json: token ids must be the integers 0..0");
        assertThatThrownBy(() -> load("{\"a\": 0, \"b\": 5}", ""))
                .hasMessageContaining("'b' has id 5");
        assertThatThrownBy(() -> load("{\"a\": 0,}", ""))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("encoder.json: invalid JSON at line 1");
        assertThatThrownBy(() -> load("[\"a\"]", ""))
                .hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> BpeVocabularies.llama3(dir.resolve("missing")))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("file not found")
                .hasMessageNotContaining("\n");
    }
}
