package dev.kvasir.tokenizer;

/**
 * The symbols of a text while SentencePiece or BPE merges them (llama.cpp's {@code llm_symbol} list): they
 * start as the text's code points, linked in order, each a range of the text. Merging appends the right
 * symbol to the left one, so a symbol only grows or empties and its start never moves.
 */
final class SymbolChain {
    private final String text;
    private final int[] start;
    private final int[] length;
    private final int[] prev;
    private final int[] next;

    SymbolChain(String text) {
        this.text = text;
        int symbols = text.codePointCount(0, text.length());
        this.start = new int[symbols];
        this.length = new int[symbols];
        this.prev = new int[symbols];
        this.next = new int[symbols];
        int offset = 0;
        for (int i = 0; i < symbols; i++) {
            int n = Character.charCount(text.codePointAt(offset));
            start[i] = offset;
            length[i] = n;
            prev[i] = i - 1;
            offset += n;
            next[i] = offset == text.length() ? -1 : i + 1;
        }
    }

    /** The number of initial symbols; symbol 0 heads the chain when there is any. */
    int size() {
        return start.length;
    }

    /** The symbol after s, or -1. */
    int next(int s) {
        return next[s];
    }

    /** The symbol before s, or -1. */
    int prev(int s) {
        return prev[s];
    }

    String text(int s) {
        return text.substring(start[s], start[s] + length[s]);
    }

    /** The text two neighbouring symbols would form. */
    String pairText(int left, int right) {
        return text.substring(start[left], start[left] + length[left] + length[right]);
    }

    /**
     * Whether a pair queued when its merged text had mergedLength chars is still two live neighbours of
     * that size: since symbols only grow or empty, unchanged lengths mean nothing merged into either.
     */
    boolean isCurrent(int left, int right, int mergedLength) {
        return length[left] > 0 && length[right] > 0 && length[left] + length[right] == mergedLength;
    }

    /** Appends right to left and unlinks right. */
    void merge(int left, int right) {
        length[left] += length[right];
        length[right] = 0;
        next[left] = next[right];
        if (next[right] >= 0) {
            prev[next[right]] = left;
        }
    }
}
