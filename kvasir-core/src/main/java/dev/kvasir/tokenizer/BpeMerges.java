package dev.kvasir.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Byte-level BPE on one word: start from single characters and repeatedly merge the adjacent pair with the
 * lowest merge rank (leftmost first on ties), as llama.cpp's {@code llm_tokenizer_bpe_session} does.
 */
final class BpeMerges {
    /** Rank of "left right" (the merge line itself); the first occurrence of a pair wins, as in llama.cpp. */
    private final Map<String, Integer> ranks;

    BpeMerges(List<String> merges) {
        ranks = HashMap.newHashMap(merges.size());
        for (int i = 0; i < merges.size(); i++) {
            String merge = merges.get(i);
            // llama.cpp splits at the first space after the first character; a line without one is no merge
            if (merge.indexOf(' ', 1) > 0) {
                ranks.putIfAbsent(merge, i);
            }
        }
    }

    private record Bigram(int left, int right, int rank, int length) {
    }

    /** The symbols (substrings of word) left when no adjacent pair has a merge rank. */
    List<String> apply(String word) {
        SymbolChain chain = new SymbolChain(word);
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.rank != b.rank
                ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 1; i < chain.size(); i++) {
            offer(queue, chain, i - 1, i);
        }
        Bigram bigram;
        while ((bigram = queue.poll()) != null) {
            if (chain.isCurrent(bigram.left, bigram.right, bigram.length)) {
                chain.merge(bigram.left, bigram.right);
                offer(queue, chain, chain.prev(bigram.left), bigram.left);
                offer(queue, chain, bigram.left, chain.next(bigram.left));
            }
        }
        List<String> symbols = new ArrayList<>();
        for (int i = chain.size() > 0 ? 0 : -1; i >= 0; i = chain.next(i)) {
            symbols.add(chain.text(i));
        }
        return symbols;
    }

    private void offer(PriorityQueue<Bigram> queue, SymbolChain chain, int left, int right) {
        if (left < 0 || right < 0) {
            return;
        }
        Integer rank = ranks.get(chain.text(left) + " " + chain.text(right));
        if (rank != null) {
            queue.add(new Bigram(left, right, rank, chain.pairText(left, right).length()));
        }
    }
}
