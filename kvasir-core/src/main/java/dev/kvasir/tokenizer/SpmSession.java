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
    private final SymbolChain chain;
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
        this.chain = new SymbolChain(text);
    }

    void tokenize(IntList out) {
        if (chain.size() == 0) {
            return;
        }
        for (int i = 1; i < chain.size(); i++) {
            tryAddBigram(i - 1, i);
        }
        Bigram bigram;
        while ((bigram = queue.poll()) != null) {
            int left = bigram.left();
            // stale: one side was merged away or grew since this pair was queued
            if (!chain.isCurrent(left, bigram.right(), bigram.size())) {
                continue;
            }
            chain.merge(left, bigram.right());
            tryAddBigram(chain.prev(left), left);
            tryAddBigram(left, chain.next(left));
        }
        for (int i = 0; i != -1; i = chain.next(i)) {
            resegment(i, out);
        }
    }

    private void tryAddBigram(int left, int right) {
        if (left == -1 || right == -1) {
            return;
        }
        String merged = chain.pairText(left, right);
        int id = vocab.id(merged);
        if (id == Vocabulary.NONE) {
            return;
        }
        queue.add(new Bigram(left, right, vocab.score(id), merged.length()));
        revMerge.put(merged, new int[] {left, right});
    }

    private void resegment(int symbol, IntList out) {
        String piece = chain.text(symbol);
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
