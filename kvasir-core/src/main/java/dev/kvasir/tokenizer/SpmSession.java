package dev.kvasir.tokenizer;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One run of llama.cpp's llm_tokenizer_spm_session over an escaped text fragment. Symbols start as single
 * characters and are kept as a linked list over the text; the queue always merges the adjacent pair whose
 * concatenation is the highest-scoring vocabulary token (ties: leftmost), until no pair is a token.
 * Symbol extents are UTF-16 ranges; they cover the same characters as llama.cpp's byte ranges.
 */
final class SpmSession {
    private final Vocabulary vocab;
    private final int[] byteTokens;
    private final String text;
    private final int[] start;
    private final int[] length;
    private final int[] prev;
    private final int[] next;
    private final PriorityQueue<Bigram> queue = new PriorityQueue<>(Bigram.ORDER);
    /** Which two symbols formed each merged text; llama.cpp's rev_merge. */
    private final Map<String, int[]> revMerge = new HashMap<>();

    private record Bigram(int left, int right, float score, int size) {
        /** llama.cpp's llm_bigram_spm::comparator: higher score first, then the leftmost pair. */
        static final Comparator<Bigram> ORDER = (a, b) -> {
            if (a.score < b.score) {
                return 1;
            }
            if (b.score < a.score) {
                return -1;
            }
            return Integer.compare(a.left, b.left);
        };
    }

    SpmSession(Vocabulary vocab, int[] byteTokens, String text) {
        this.vocab = vocab;
        this.byteTokens = byteTokens;
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

    void tokenize(IntList out) {
        if (start.length == 0) {
            return;
        }
        for (int i = 1; i < start.length; i++) {
            tryAddBigram(i - 1, i);
        }
        Bigram bigram;
        while ((bigram = queue.poll()) != null) {
            int left = bigram.left();
            int right = bigram.right();
            // stale: one side was merged away or grew since this pair was queued
            if (length[left] == 0 || length[right] == 0 || length[left] + length[right] != bigram.size()) {
                continue;
            }
            length[left] += length[right];
            length[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            tryAddBigram(prev[left], left);
            tryAddBigram(left, next[left]);
        }
        for (int i = 0; i != -1; i = next[i]) {
            resegment(i, out);
        }
    }

    private void tryAddBigram(int left, int right) {
        if (left == -1 || right == -1) {
            return;
        }
        String merged = text.substring(start[left], start[left] + length[left] + length[right]);
        int id = vocab.id(merged);
        if (id == Vocabulary.NONE) {
            return;
        }
        queue.add(new Bigram(left, right, vocab.score(id), merged.length()));
        revMerge.put(merged, new int[] {left, right});
    }

    private void resegment(int symbol, IntList out) {
        String piece = text.substring(start[symbol], start[symbol] + length[symbol]);
        int id = vocab.id(piece);
        if (id != Vocabulary.NONE) {
            out.add(id);
            return;
        }
        int[] parts = revMerge.get(piece);
        if (parts == null) {
            for (byte b : Utf8.bytes(piece)) {
                out.add(byteToken(b & 0xFF));
            }
            return;
        }
        resegment(parts[0], out);
        resegment(parts[1], out);
    }

    private int byteToken(int b) {
        int id = byteTokens[b];
        if (id == Vocabulary.NONE) {
            throw new TokenizerException(String.format("the vocabulary has no byte token <0x%02X> and no unknown"
                    + " token, so this text cannot be tokenized; use a model whose vocabulary has byte fallback", b));
        }
        return id;
    }
}
