package dev.kvasir.tokenizer;

import java.util.function.IntConsumer;

/**
 * One step of a pre-tokenizer (one entry of llama.cpp's {@code regex_exprs}): it splits a piece of text
 * into smaller pieces. A pre-tokenizer applies its rules in order, each to every piece the previous rule made.
 */
sealed interface SplitRule permits Gpt2Split, Llama3Split, RegexSplit {

    /**
     * Reports the end offsets (UTF-16 indices, ascending, the last one {@code to}) of the pieces that
     * {@code text[from, to)} splits into. The text has every non-ASCII whitespace replaced by U+000B (see
     * {@link PreTokenizer#split}), so {@code \s} needs no Unicode mode.
     */
    void split(String text, int from, int to, IntConsumer ends);
}
