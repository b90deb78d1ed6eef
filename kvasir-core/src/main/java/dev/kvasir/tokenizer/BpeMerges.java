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
        int n = word.length();
        int[] length = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            length[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.rank != b.rank
                ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) {
            offer(queue, word, length, i - 1, i);
        }
        while (!queue.isEmpty()) {
            Bigram bigram = queue.poll();
            int left = bigram.left;
            int right = bigram.right;
            // a symbol only grows or empties, so unchanged lengths mean the pair is still current
            if (length[left] == 0 || length[right] == 0 || length[left] + length[right] != bigram.length) {
                continue;
            }
            length[left] += length[right];
            length[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            offer(queue, word, length, prev[left], left);
            offer(queue, word, length, left, next[left]);
        }
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i >= 0 && i < n; i = next[i]) {
            symbols.add(word.substring(i, i + length[i]));
        }
        return symbols;
    }

    private void offer(PriorityQueue<Bigram> queue, String word, int[] length, int left, int right) {
        if (left < 0 || right < 0) {
            return;
        }
        String key = word.substring(left, left + length[left]) + " " + word.substring(right, right + length[right]);
        Integer rank = ranks.get(key);
        if (rank != null) {
            queue.add(new Bigram(left, right, rank, length[left] + length[right]));
        }
    }
}
