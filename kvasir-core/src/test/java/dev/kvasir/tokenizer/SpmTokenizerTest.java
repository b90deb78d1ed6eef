package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.SharedData;
import dev.kvasir.gguf.GgufFile;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpmTokenizerTest {
    private static final int N = TokenType.NORMAL.id();

    private static Tokenizer fromShared(String relative) {
        try (GgufFile file = GgufFile.open(SharedData.file(relative))) {
            return Tokenizer.of(file);
        }
    }

    private static Tokenizer synthetic(String[] tokens, float[] scores, boolean addEos) {
        int[] types = new int[tokens.length];
        java.util.Arrays.fill(types, N);
        types[0] = TokenType.UNKNOWN.id();
        types[1] = TokenType.CONTROL.id();
        types[2] = TokenType.CONTROL.id();
        SpecialTokens special = new SpecialTokens(1, 2, -1, -1, 0, -1, true, addEos, true);
        return Tokenizer.of(new Vocabulary("llama", null, null, tokens, scores, types, null, special));
    }

    @Test
    void equalScoresMergeTheLeftmostPairFirst() {
        String[] tokens = {"<unk>", "<s>", "</s>", "▁", "a", "aa", "▁a"};
        Tokenizer t = synthetic(tokens, new float[] {0, 0, 0, 0, 0, 1, 0}, false);
        // ▁ a a a: both "aa" pairs score 1; the left one wins, leaving ▁ | aa | a (not ▁a | aa)
        assertThat(t.encode("aaa", false, false)).containsExactly(3, 5, 4);
        assertThat(t.decode(new int[] {3, 5, 4})).isEqualTo("aaa");
    }

    @Test
    void higherScoreWinsOverPosition() {
        String[] tokens = {"<unk>", "<s>", "</s>", "▁", "a", "aa", "▁a"};
        Tokenizer t = synthetic(tokens, new float[] {0, 0, 0, 0, 0, 1, 2}, false);
        assertThat(t.encode("aaa", false, false)).containsExactly(6, 5);
    }

    @Test
    void missingByteTokensFallBackToUnknownAndAddSpecialAddsBosAndEos() {
        String[] tokens = {"<unk>", "<s>", "</s>", "▁", "a"};
        Tokenizer t = synthetic(tokens, null, true);
        assertThat(t.encode("aé", true, false)).containsExactly(1, 3, 4, 0, 0, 2);
        assertThat(t.encode("", true, false)).containsExactly(1, 2);
        assertThat(t.encode("", false, false)).isEmpty();
    }

    @Test
    void specialTokenTextIsParsedOnlyWhenAsked() {
        Tokenizer t = fromShared("tokenizers/ggml-vocab-llama-spm.gguf");
        int hello = t.vocabulary().id("▁Hello");
        // after a special token the text gets the space prefix again
        assertThat(t.encode("<s>Hello", false, true)).containsExactly(1, hello);
        assertThat(t.encode("<s>Hello", false, false)).doesNotContain(1).endsWith(t.vocabulary().id("Hello"));
        assertThat(t.encode("Hello</s>Hello", true, true)).containsExactly(1, hello, 2, hello);
    }

    @Test
    void decodeHandlesSpecialTokensLikeLlamaDetokenize() {
        Tokenizer t = fromShared("tokenizers/ggml-vocab-llama-spm.gguf");
        int hello = t.vocabulary().id("▁Hello");
        assertThat(t.decode(new int[] {hello})).isEqualTo("Hello");
        assertThat(t.decode(new int[] {1, hello})).isEqualTo(" Hello");
        assertThat(t.decode(new int[] {1, hello, 2}, false, true)).isEqualTo("<s> Hello</s>");
        assertThat(t.decode(new int[] {1, hello}, true, false)).isEqualTo(" Hello");
        assertThat(t.pieceBytes(t.vocabulary().id("<0x0A>"))).containsExactly('\n');
        assertThat(t.pieceBytes(2)).isEmpty();
        assertThat(t.pieceBytes(2, true)).containsExactly("</s>".getBytes());
        assertThatThrownBy(() -> t.pieceBytes(32000)).isInstanceOf(TokenizerException.class);
    }

    @Test
    void phi3ChatMarkersAreParsedAndSwallowTheFollowingNewline() {
        Tokenizer t = fromShared("tokenizers/ggml-vocab-phi-3.gguf");
        Vocabulary v = t.vocabulary();
        int user = v.id("<|user|>");
        int end = v.id("<|end|>");
        int assistant = v.id("<|assistant|>");
        int[] hi = t.encode("Hi", false, false);
        int[] expected = IntStream.concat(IntStream.concat(IntStream.of(user), IntStream.of(hi)),
                IntStream.of(end, assistant)).toArray();
        assertThat(t.encode("<|user|>\nHi<|end|>\n<|assistant|>", false, true)).containsExactly(expected);
        assertThat(v.isEndOfGeneration(end)).isTrue();
        assertThat(v.isEndOfGeneration(v.eos())).isTrue();
        assertThat(v.isEndOfGeneration(user)).isFalse();
        assertThat(v.eot()).isEqualTo(end);
    }

    @Test
    void vocabularyFromGgufUsesTheStoredIdsAndFlags() {
        Vocabulary v = fromShared("models/stories260K.gguf").vocabulary();
        assertThat(v.size()).isEqualTo(512);
        assertThat(v.bos()).isEqualTo(1);
        assertThat(v.eos()).isEqualTo(2);
        assertThat(v.unk()).isEqualTo(0);
        assertThat(v.pad()).isEqualTo(Vocabulary.NONE); // stored as 4294967295
        assertThat(v.addBos()).isTrue();
        assertThat(v.addEos()).isFalse();
        assertThat(v.addSpacePrefix()).isTrue();
        assertThat(v.endOfGenerationIds()).containsExactly(2);
        assertThat(v.tokenType(3)).isEqualTo(TokenType.BYTE);
    }
}
