package dev.kvasir.tokenizer;

import java.util.function.IntConsumer;

/**
 * Shared plumbing of the hand-written splitters: the code points of one piece, class tests that answer
 * false past the piece's end (as llama.cpp's {@code _get_flags} does out of range), and emitting piece ends
 * as UTF-16 offsets.
 */
final class CodepointSplitter {
    final int[] cps;
    private final int[] charOffsets;
    private final IntConsumer ends;
    private int previousEnd;

    CodepointSplitter(String text, int from, int to, IntConsumer ends) {
        this.cps = text.substring(from, to).codePoints().toArray();
        this.charOffsets = new int[cps.length + 1];
        charOffsets[0] = from;
        for (int i = 0; i < cps.length; i++) {
            charOffsets[i + 1] = charOffsets[i] + Character.charCount(cps[i]);
        }
        this.ends = ends;
    }

    int size() {
        return cps.length;
    }

    /** The code point at pos, or -1 past the end. */
    int cp(int pos) {
        return pos < cps.length ? cps[pos] : -1;
    }

    boolean letter(int pos) {
        return pos < cps.length && CodepointClass.isLetter(cps[pos]);
    }

    boolean number(int pos) {
        return pos < cps.length && CodepointClass.isNumber(cps[pos]);
    }

    boolean whitespace(int pos) {
        return pos < cps.length && CodepointClass.isWhitespace(cps[pos]);
    }

    boolean other(int pos) {
        return pos < cps.length && CodepointClass.isOther(cps[pos]);
    }

    /** Ends the current piece at code point index end (no-op for an empty piece); returns end. */
    int emit(int end) {
        if (end > previousEnd) {
            ends.accept(charOffsets[end]);
            previousEnd = end;
        }
        return end;
    }
}
