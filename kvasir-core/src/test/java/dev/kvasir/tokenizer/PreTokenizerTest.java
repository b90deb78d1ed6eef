package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PreTokenizerTest {

    /** Characters on which the classes and the regex alternatives disagree most easily. */
    private static final int[] ALPHABET = {
        'a', 'Z', 's', 't', 'r', 'e', 'v', 'l', 'm', 'd', 'S', 'T', 'R', 'E', 'L', 'D', '\'', ' ', ' ', ' ', '\t',
        '\n', '\r', '\u000B', '1', '7', '!', '.', '(', '$', '~', '`', '\u00A0', '\u3000', '\u2028', '\u0085',
        '\u00E9', '\u00BD', '\u0663', '\u4E2D', '\u0301', '\u200D', '\uFF5E', 0x1F600, 0x1F999, 0x10400, 0x0378
    };

    @Test
    void handWrittenGpt2SplitMatchesTheRegex() {
        RegexSplit regex = RegexSplit.of("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+"
                + "|\\s+(?!\\S)|\\s+");
        assertSameSplits(new Gpt2Split(), regex);
    }

    @Test
    void handWrittenLlama3SplitMatchesTheRegex() {
        RegexSplit regex = RegexSplit.of("(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
                + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");
        assertSameSplits(new Llama3Split(), regex);
    }

    private static void assertSameSplits(SplitRule handWritten, SplitRule regex) {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 3000; i++) {
            String text = randomText(random, 1 + random.nextInt(24));
            String masked = PreTokenizer.maskNonAsciiWhitespace(text);
            assertThat(ends(handWritten, masked)).as("splits of %s", escaped(text)).isEqualTo(ends(regex, masked));
        }
    }

    private static String randomText(SplittableRandom random, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.appendCodePoint(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    private static List<Integer> ends(SplitRule rule, String text) {
        IntStream.Builder ends = IntStream.builder();
        rule.split(text, 0, text.length(), ends);
        return ends.build().boxed().toList();
    }

    private static String escaped(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> sb.append(cp < 0x20 || cp > 0x7E ? String.format("\\u{%X}", cp)
                : Character.toString(cp)));
        return sb.toString();
    }

    @Test
    void gpt2KeepsTheSpaceBeforeAWordAndContractionsApart() {
        assertThat(PreTokenizer.GPT2.split("  Hello world's 123!!\n\n"))
                .containsExactly(" ", " Hello", " world", "'s", " 123", "!!", "\n\n");
    }

    @Test
    void llama3GroupsDigitsInThreesAndKeepsNewlinesWithWhitespace() {
        assertThat(PreTokenizer.LLAMA3.split("Hello, we'LL! 1314151天～ \n\n  x"))
                .containsExactly("Hello", ",", " we", "'LL", "!", " ", "131", "415", "1", "天", "～", " \n\n", " ", " x");
        // GPT-2's contractions are case-sensitive
        assertThat(PreTokenizer.GPT2.split("we'LL")).containsExactly("we", "'", "LL");
    }

    @Test
    void defaultSplitsPunctuationRunsAndDigitTriples() {
        assertThat(PreTokenizer.DEFAULT.split("a+=b 12345.67"))
                .containsExactly("a", "+=", "b", " ", "123", "45", ".", "67");
    }

    @Test
    void starcoderSplitsEveryDigit() {
        assertThat(PreTokenizer.STARCODER.split("x 42")).containsExactly("x", " ", "4", "2");
    }

    @Test
    void deepseekLlmTreatsIdeographicSpaceAsWhitespaceNotPunctuation() {
        // U+3000 is inside the punctuation and CJK ranges, but llama.cpp masks it to U+000B first: unmasked, the
        // three characters would stay one word
        assertThat(PreTokenizer.DEEPSEEK_LLM.split("a\u3000\u3000。")).containsExactly("a", "\u3000", "\u3000", "。");
    }

    @Test
    void tekkenAndGpt4oSplitWordsAtCaseChanges() {
        assertThat(PreTokenizer.TEKKEN.split("HelloWorld HTTPServer x 42\n/"))
                .containsExactly("Hello", "World", " HTTPServer", " x", " ", "4", "2", "\n", "/");
        assertThat(PreTokenizer.GPT4O.split("He's HAPPY123 ok\n\n"))
                .containsExactly("He's", " HAPPY", "123", " ok", "\n\n");
    }

    @Test
    void qwen35KeepsCombiningMarksInTheWordWhereQwen2DoesNot() {
        assertThat(PreTokenizer.QWEN35.split("cafe\u0301 x")).containsExactly("cafe\u0301", " x");
        assertThat(PreTokenizer.QWEN2.split("cafe\u0301 x")).containsExactly("cafe", "\u0301", " x");
    }

    @Test
    void longRunsSplitWithoutDeepRecursion() {
        String text = "a".repeat(20_000) + " ".repeat(20_000) + "Ab1. ".repeat(4_000) + "\u4E2D".repeat(8_000)
                + " ".repeat(20_000) + "1";
        for (PreTokenizer p : PreTokenizer.values()) {
            assertThat(String.join("", p.split(text))).as("%s", p).isEqualTo(text);
        }
    }

    @Test
    void piecesConcatenateToTheInputForEveryType() {
        SplittableRandom random = new SplittableRandom(7);
        for (PreTokenizer p : PreTokenizer.values()) {
            for (int i = 0; i < 200; i++) {
                String text = randomText(random, random.nextInt(30));
                assertThat(String.join("", p.split(text))).as("%s on %s", p, escaped(text)).isEqualTo(text);
                assertThat(p.split(text)).allSatisfy(w -> assertThat(w).isNotEmpty());
            }
        }
    }

    @Test
    void namesFollowLlamaCpp() {
        assertThat(PreTokenizer.forName("llama-bpe")).isEqualTo(PreTokenizer.LLAMA3);
        assertThat(PreTokenizer.forName("gpt-2")).isEqualTo(PreTokenizer.GPT2);
        assertThat(PreTokenizer.forName("smollm")).isEqualTo(PreTokenizer.STARCODER);
        assertThat(PreTokenizer.forName(null)).isEqualTo(PreTokenizer.DEFAULT);
        assertThat(PreTokenizer.LLAMA3.ignoreMerges()).isTrue();
        assertThat(PreTokenizer.TEKKEN.ignoreMerges()).isTrue();
        assertThat(PreTokenizer.DBRX.ignoreMerges()).isFalse();
        List<String> all = new ArrayList<>();
        for (PreTokenizer p : PreTokenizer.values()) {
            all.addAll(p.names());
        }
        assertThat(all).doesNotHaveDuplicates()
                .contains("default", "gpt-2", "llama-bpe", "llama3", "qwen2", "deepseek-llm", "deepseek-coder",
                        "falcon", "starcoder", "mpt", "refact", "gpt-neox", "smollm");
    }

    @Test
    void unknownNameIsRejectedWithTheSupportedList() {
        assertThatThrownBy(() -> PreTokenizer.forName("klingon-bpe"))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("'klingon-bpe'")
                .hasMessageContaining("llama-bpe")
                .hasMessageNotContaining("\n");
    }
}
