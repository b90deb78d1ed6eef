package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.gguf.GgufArray;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.gguf.GgufWriter;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vocabulary.fromGguf on small generated files: llama.cpp's keys, defaults and refusals. */
class GgufVocabularyTest {
    private static final String[] TOKENS = {"<unk>", "<s>", "</s>", "▁", "a", "▁a", "<|im_end|>"};

    @TempDir
    Path dir;

    private Vocabulary read(String model, Consumer<GgufWriter> extra) {
        GgufWriter w = new GgufWriter()
                .putString("tokenizer.ggml.model", model)
                .putArray("tokenizer.ggml.tokens", GgufArray.ofStrings(TOKENS));
        extra.accept(w);
        Path file = dir.resolve(model + ".gguf");
        w.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            return Vocabulary.fromGguf(gguf.metadata());
        }
    }

    @Test
    void spmDefaultsFollowLlamaCpp() {
        Vocabulary v = read("llama", w -> { });
        assertThat(v.bos()).isEqualTo(1);
        assertThat(v.eos()).isEqualTo(2);
        assertThat(v.unk()).isEqualTo(0);
        assertThat(v.pad()).isEqualTo(Vocabulary.NONE);
        assertThat(v.addBos()).isTrue();
        assertThat(v.addEos()).isFalse();
        assertThat(v.addSpacePrefix()).isTrue();
        assertThat(v.pre()).isEqualTo("default");
        assertThat(v.eot()).isEqualTo(6);
        assertThat(v.endOfGenerationIds()).containsExactly(2, 6);
        assertThat(v.score(5)).isZero();
    }

    @Test
    void storedKeysOverrideDefaults() {
        Vocabulary v = read("llama", w -> w
                .putArray("tokenizer.ggml.scores", GgufArray.ofInt32(0, 0, 0, -1, -2, 7, 0))
                .putArray("tokenizer.ggml.token_type", GgufArray.ofInt32(2, 3, 3, 1, 1, 1, 3))
                .putUint32("tokenizer.ggml.eos_token_id", 6)
                .putUint32("tokenizer.ggml.padding_token_id", 4294967295L)
                .putBool("tokenizer.ggml.add_space_prefix", false)
                .putBool("tokenizer.ggml.add_eos_token", true));
        assertThat(v.score(5)).isEqualTo(7f);
        assertThat(v.eos()).isEqualTo(6);
        assertThat(v.pad()).isEqualTo(Vocabulary.NONE);
        assertThat(v.addSpacePrefix()).isFalse();
        assertThat(v.addEos()).isTrue();
        assertThat(Tokenizer.of(v).encode("a", true, false)).containsExactly(1, 4, 6);
    }

    @Test
    void bpeDefaultsDependOnThePreTokenizer() {
        Consumer<GgufWriter> merges = w -> w.putArray("tokenizer.ggml.merges", GgufArray.ofStrings("▁ a"));
        Vocabulary gpt2 = read("gpt2", merges);
        assertThat(gpt2.addBos()).isFalse();
        assertThat(gpt2.addSpacePrefix()).isFalse();
        assertThat(gpt2.merges()).containsExactly("▁ a");
        assertThat(gpt2.bos()).isEqualTo(Vocabulary.NONE); // default 11 is outside this 7-token vocabulary
        Vocabulary llama3 = read("gpt2", merges.andThen(w -> w.putString("tokenizer.ggml.pre", "llama-bpe")
                .putUint32("tokenizer.ggml.bos_token_id", 1)));
        assertThat(llama3.addBos()).isTrue();
    }

    @Test
    void refusesUnsupportedOrIncompleteVocabularies() {
        assertThatThrownBy(() -> read("bert", w -> { }))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("'bert'").hasMessageContaining("'llama'").hasMessageContaining("'gpt2'");
        assertThatThrownBy(() -> read("gpt2", w -> { }))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("tokenizer.ggml.merges");
        assertThatThrownBy(() -> read("llama", w -> w.putArray("tokenizer.ggml.scores", GgufArray.ofFloat32(1f))))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("tokenizer.ggml.scores");
    }
}
