package dev.kvasir.tokenizer;

import java.util.function.IntConsumer;

/**
 * The GPT-2 pre-tokenizer regex {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}
 * written out by hand, as llama.cpp's {@code unicode_regex_split_custom_gpt2} does: it is what llama.cpp runs
 * for this regex, and it is linear where a backtracking regex is not.
 */
record Gpt2Split() implements SplitRule {

    @Override
    public void split(String text, int from, int to, IntConsumer ends) {
        CodepointSplitter s = new CodepointSplitter(text, from, to, ends);
        int pos = 0;
        while (pos < s.size()) {
            int contraction = contractionLength(s, pos, false);
            if (contraction > 0) {
                pos = s.emit(pos + contraction);
                continue;
            }
            int start = s.cp(pos) == ' ' ? pos + 1 : pos;
            if (s.letter(start)) {
                pos = start;
                while (s.letter(pos)) {
                    pos++;
                }
                s.emit(pos);
                continue;
            }
            if (s.number(start)) {
                pos = start;
                while (s.number(pos)) {
                    pos++;
                }
                s.emit(pos);
                continue;
            }
            if (s.other(start)) {
                pos = start;
                while (s.other(pos)) {
                    pos++;
                }
                s.emit(pos);
                continue;
            }
            pos = s.emit(whitespaceEnd(s, pos));
        }
    }

    /**
     * The length of {@code 's|'t|'re|'ve|'m|'ll|'d} at pos (0 if none); ignoreCase for Llama 3's
     * {@code (?i:...)} variant.
     */
    static int contractionLength(CodepointSplitter s, int pos, boolean ignoreCase) {
        if (s.cp(pos) != '\'' || pos + 1 >= s.size()) {
            return 0;
        }
        int next = fold(s.cp(pos + 1), ignoreCase);
        if (next == 's' || next == 't' || next == 'm' || next == 'd') {
            return 2;
        }
        int nextNext = fold(s.cp(pos + 2), ignoreCase);
        boolean twoLetters = (next == 'r' && nextNext == 'e') || (next == 'v' && nextNext == 'e')
                || (next == 'l' && nextNext == 'l');
        return twoLetters ? 3 : 0;
    }

    private static int fold(int cp, boolean ignoreCase) {
        return ignoreCase && cp >= 0 ? Character.toLowerCase(cp) : cp;
    }

    /**
     * {@code \s+(?!\S)|\s+} at pos: a whitespace run followed by more text leaves its last character to the
     * next piece (so " word" keeps its space); with no whitespace at pos, one character is its own piece.
     */
    static int whitespaceEnd(CodepointSplitter s, int pos) {
        int run = 0;
        while (s.whitespace(pos + run)) {
            run++;
        }
        if (run > 1 && pos + run < s.size()) {
            return pos + run - 1;
        }
        return run > 0 ? pos + run : pos + 1;
    }
}
