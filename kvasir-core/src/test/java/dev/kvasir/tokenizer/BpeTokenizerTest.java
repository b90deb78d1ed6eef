package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BpeTokenizerTest {

    static Stream<String> bpeSets() {
        return Stream.of("gpt-2", "deepseek-llm", "gpt-neox", "llama-bpe");
    }

    private static Tokenizer tokenizer(String set) {
        return set.equals("llama-bpe") ? TestTokenizers.llama3() : TestTokenizers.gguf(set);
    }

    /** llama.cpp's test strings (the same in every set) plus seeded random text over many scripts. */
    private static List<String> roundTripTexts() {
        List<String> texts = new ArrayList<>();
        VocabTestVectors.read("ggml-vocab-gpt-2.gguf").forEach(c -> texts.add(c.text()));
        int[] alphabet = {'a', 'Q', ' ', ' ', '\n', '\t', '\r', '1', '\'', 's', '.', '<', '|', '>', 0xE9, 0xFC, 0xF8,
            0x00A0, 0x3000, 0x4E2D, 0x0436, 0x0E01, 0x0301, 0x200D, 0x1F999, 0x1F600, 0xFF5E, 0x10400};
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(40); n > 0; n--) {
                sb.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
            }
            texts.add(sb.toString());
        }
        return texts;
    }

    @ParameterizedTest
    @MethodSource("bpeSets")
    void decodeOfEncodeGivesBackTheText(String set) {
        Tokenizer t = tokenizer(set);
        for (String text : roundTripTexts()) {
            int[] ids = t.encode(text, false, false);
            assertThat(t.decode(ids)).as("%s: %s", set, text).isEqualTo(text);
        }
    }

    @Test
    void gptNeoxSplitsOutItsUserDefinedSpaceRunsWithoutParsingSpecials() {
        Tokenizer neox = TestTokenizers.gguf("gpt-neox");
        Vocabulary v = neox.vocabulary();
        assertThat(v.pre()).isEqualTo("default");
        int threeSpaces = v.id("   ");
        assertThat(v.isUserDefined(threeSpaces)).isTrue();
        int[] ids = neox.encode("   Hello", false, false);
        assertThat(ids[0]).isEqualTo(threeSpaces);
        assertThat(neox.decode(ids)).isEqualTo("   Hello");
    }

    @Test
    void llama3AddsBosAndParsesSpecialTokensOnlyWhenAsked() {
        Tokenizer t = TestTokenizers.llama3();
        String text = "<|start_header_id|>user<|end_header_id|>";
        int[] parsed = t.encode(text, true, true);
        assertThat(parsed).startsWith(128000, 128006).endsWith(128007).hasSize(4);
        assertThat(t.vocabulary().token(parsed[2])).isEqualTo("user");

        int[] literal = t.encode(text, false, false);
        assertThat(literal).doesNotContain(128000, 128006, 128007);
        assertThat(t.decode(literal)).isEqualTo(text);
        // control tokens decode to nothing unless rendered
        assertThat(t.decode(parsed)).isEqualTo("user");
        assertThat(t.decode(parsed, false, true)).isEqualTo("<|begin_of_text|>" + text);
        assertThat(t.vocabulary().isEndOfGeneration(t.vocabulary().id("<|eot_id|>"))).isTrue();
    }

    @Test
    void llama3EmitsAWordThatIsAVocabularyTokenWholeEvenWhereMergesWouldNotReachIt() {
        Tokenizer t = TestTokenizers.llama3();
        Vocabulary v = t.vocabulary();
        String word = ByteLevel.encode(" Việt");
        assertThat(new BpeMerges(v.merges()).apply(word)).hasSizeGreaterThan(1);
        assertThat(t.encode(" Việt", false, false)).containsExactly(v.id(word));
    }

    @Test
    void streamingDecoderHoldsBackAnEmojiSplitAcrossTokens() {
        Tokenizer t = TestTokenizers.llama3();
        int[] ids = t.encode(" 🦙!", false, false);
        assertThat(ids.length).isGreaterThan(2);
        TokenDecoder decoder = t.newDecoder();
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            String text = decoder.accept(id);
            assertThat(text.chars().filter(c -> c == 0xFFFD)).isEmpty();
            out.append(text);
        }
        assertThat(out.append(decoder.flush())).hasToString(" 🦙!");
        assertThat(t.pieceBytes(ids[0])).isNotEqualTo(" 🦙".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void userDefinedTokensAreSplitOutOfTextAndDecodeAsTheirText() {
        Tokenizer deepseek = TestTokenizers.gguf("deepseek-llm");
        int u = deepseek.vocabulary().id("ü");
        assertThat(deepseek.vocabulary().isUserDefined(u)).isTrue();
        assertThat(deepseek.encode("Führer", false, false)).contains(u);
        assertThat(deepseek.pieceBytes(u)).isEqualTo("ü".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void gpt2HasNoBosByDefault() {
        Tokenizer gpt2 = TestTokenizers.gguf("gpt-2");
        assertThat(gpt2.vocabulary().addBos()).isFalse();
        assertThat(gpt2.encode("Hello", true, false)).containsExactly(15496);
        assertThat(gpt2.encode("", true, false)).isEmpty();
    }

    @Test
    void unknownPreTokenizerFailsWhenTheTokenizerIsBuilt() {
        Vocabulary v = new Vocabulary(Vocabulary.MODEL_BPE, "klingon", null, new String[] {"a", "b", "ab"}, null,
                null, new String[] {"a b"}, SpecialTokens.bpeDefaults());
        assertThatThrownBy(() -> Tokenizer.of(v))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("'klingon'");
    }

    @Test
    void mergesApplyByRankNotByPosition() {
        // "b c" outranks "a b", so "abc" becomes a + bc, not ab + c
        Vocabulary v = new Vocabulary(Vocabulary.MODEL_BPE, "gpt-2", null,
                new String[] {"a", "b", "c", "ab", "bc"}, null, null, new String[] {"b c", "a b"},
                SpecialTokens.bpeDefaults());
        assertThat(new BpeTokenizer(v).encode("abc", false, false)).containsExactly(0, 4);
    }
}
