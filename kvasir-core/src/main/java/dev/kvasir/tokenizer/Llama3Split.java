package dev.kvasir.tokenizer;

import java.util.function.IntConsumer;

/**
 * The Llama 3 pre-tokenizer regex
 * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}
 * written out by hand, as llama.cpp's {@code unicode_regex_split_custom_llama3} does.
 */
record Llama3Split() implements SplitRule {

    @Override
    public void split(String text, int from, int to, IntConsumer ends) {
        CodepointSplitter s = new CodepointSplitter(text, from, to, ends);
        int pos = 0;
        while (pos < s.size()) {
            int cp = s.cp(pos);
            int contraction = Gpt2Split.contractionLength(s, pos, true);
            if (contraction > 0) {
                pos = s.emit(pos + contraction);
                continue;
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+ : one optional leading non-letter (a space, a quote...) then letters
            if (!isNewline(cp) && !s.number(pos) && (s.letter(pos) || s.letter(pos + 1))) {
                pos++;
                while (s.letter(pos)) {
                    pos++;
                }
                s.emit(pos);
                continue;
            }
            if (s.number(pos)) {
                pos = numbersInThrees(s, pos);
                continue;
            }
            int start = cp == ' ' ? pos + 1 : pos;
            if (s.other(start)) {
                pos = start;
                while (s.other(pos)) {
                    pos++;
                }
                while (isNewline(s.cp(pos))) {
                    pos++;
                }
                s.emit(pos);
                continue;
            }
            pos = s.emit(whitespaceEnd(s, pos));
        }
    }

    /** {@code \p{N}{1,3}} repeatedly: "12345" becomes "123", "45". */
    private static int numbersInThrees(CodepointSplitter s, int pos) {
        int groupStart = pos;
        while (s.number(pos)) {
            pos++;
            if (pos - groupStart == 3) {
                s.emit(pos);
                groupStart = pos;
            }
        }
        return s.emit(pos);
    }

    /** {@code \s*[\r\n]+} (up to the last newline of the run) before the GPT-2 whitespace rules. */
    private static int whitespaceEnd(CodepointSplitter s, int pos) {
        int afterLastNewline = -1;
        for (int i = pos; s.whitespace(i); i++) {
            if (isNewline(s.cp(i))) {
                afterLastNewline = i + 1;
            }
        }
        return afterLastNewline > 0 ? afterLastNewline : Gpt2Split.whitespaceEnd(s, pos);
    }

    private static boolean isNewline(int cp) {
        return cp == '\r' || cp == '\n';
    }
}
