package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VocabularyTest {
    private static final int N = TokenType.NORMAL.id();
    private static final int C = TokenType.CONTROL.id();
    private static final int U = TokenType.USER_DEFINED.id();

    private static Vocabulary vocab(String[] tokens, int[] types, SpecialTokens special) {
        return new Vocabulary(Vocabulary.MODEL_SPM, null, "test", tokens, null, types, null, special);
    }

    @Test
    void endOfTurnTextsBecomeControlAndEndGenerationLikeLlamaCpp() {
        String[] tokens = {"<unk>", "<s>", "</s>", "a", "<|im_end|>", "<|eom_id|>", "<|user|>"};
        Vocabulary v = vocab(tokens, new int[] {2, C, C, N, N, U, U}, SpecialTokens.spmDefaults());

        assertThat(v.eot()).isEqualTo(4);
        assertThat(v.eom()).isEqualTo(5);
        assertThat(v.isControl(4)).isTrue();
        assertThat(v.isControl(5)).isTrue();
        assertThat(v.isControl(6)).isFalse();
        assertThat(v.endOfGenerationIds()).containsExactly(2, 4, 5);
        assertThat(v.isEndOfGeneration(2)).isTrue();
        assertThat(v.isEndOfGeneration(3)).isFalse();
        assertThat(v.isEndOfGeneration(Vocabulary.NONE)).isFalse();
        assertThat(v.tokenType(4)).isEqualTo(TokenType.NORMAL);
    }

    @Test
    void specialTokensAreOrderedLongestFirst() {
        String[] tokens = {"<unk>", "<s>", "</s>", "a", "<|user|>", "<x>"};
        Vocabulary v = vocab(tokens, new int[] {2, C, C, N, U, U}, SpecialTokens.spmDefaults());
        assertThat(v.specialTokensLongestFirst()).containsExactly(4, 0, 2, 1, 5);
    }

    @Test
    void outOfRangeSpecialIdsAreAbsent() {
        SpecialTokens s = new SpecialTokens(1, 2, Vocabulary.NONE, Vocabulary.NONE, 0, 99, true, false, true);
        Vocabulary v = vocab(new String[] {"<unk>", "<s>", "</s>"}, null, s);
        assertThat(v.pad()).isEqualTo(Vocabulary.NONE);
        assertThat(v.bos()).isEqualTo(1);
    }

    @Test
    void rejectsInconsistentVocabularies() {
        assertThatThrownBy(() -> vocab(new String[] {"a", "b", "a"}, null, SpecialTokens.spmDefaults()))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("duplicate token 'a'");
        Vocabulary invalidUtf8 = vocab(new String[] {"<unk>", "<s>", "</s>", "\uFFFD", "\uFFFD"}, null,
                SpecialTokens.spmDefaults());
        assertThat(invalidUtf8.id("\uFFFD")).isEqualTo(3);
        SpecialTokens noBos = new SpecialTokens(Vocabulary.NONE, 0, -1, -1, -1, -1, true, false, true);
        assertThatThrownBy(() -> vocab(new String[] {"a"}, null, noBos))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("add_bos_token");
        assertThatThrownBy(() -> new Vocabulary("llama", null, null, new String[] {"a", "b"}, new float[1], null,
                null, SpecialTokens.spmDefaults())).hasMessageContaining("tokenizer.ggml.scores");
        Vocabulary v = vocab(new String[] {"<unk>", "<s>", "</s>"}, null, SpecialTokens.spmDefaults());
        assertThatThrownBy(() -> v.token(3)).isInstanceOf(TokenizerException.class);
    }
}
