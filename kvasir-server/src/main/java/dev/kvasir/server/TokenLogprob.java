package dev.kvasir.server;

import dev.kvasir.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A token's log-probability, with the most likely alternatives at its position (OpenAI's
 * {@code logprobs.content[]}). Log-probabilities are the log-softmax of the logits the token was sampled
 * from (the model's, after a constraint's mask), before penalties and temperature, as llama-server reports them.
 */
record TokenLogprob(int id, String token, byte[] bytes, double logprob, List<TokenLogprob> top) {

    /** The sampled {@code token}'s entry with the {@code k} most likely tokens of {@code logits}. */
    static TokenLogprob of(float[] logits, int token, int k, Tokenizer tokenizer) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            if (l != Float.NEGATIVE_INFINITY) {
                sum += Math.exp(l - max);
            }
        }
        double logZ = max + Math.log(sum);
        List<TokenLogprob> top = new ArrayList<>(k);
        int[] best = topK(logits, k);
        for (int id : best) {
            top.add(entry(id, logits[id] - logZ, tokenizer, List.of()));
        }
        return entry(token, logits[token] - logZ, tokenizer, top);
    }

    private static TokenLogprob entry(int id, double logprob, Tokenizer tokenizer, List<TokenLogprob> top) {
        byte[] bytes = tokenizer.pieceBytes(id, false);
        // OpenAI sends a finite number; a masked token never gets here (it cannot be sampled or ranked)
        return new TokenLogprob(id, new String(bytes, StandardCharsets.UTF_8), bytes, Math.max(logprob, -9999.0), top);
    }

    /** The ids of the k largest finite logits, largest first (lower id first among equals). */
    private static int[] topK(float[] logits, int k) {
        int[] ids = new int[k];
        int n = 0;
        for (int i = 0; i < logits.length; i++) {
            float l = logits[i];
            if (l == Float.NEGATIVE_INFINITY || (n == k && (k == 0 || l <= logits[ids[n - 1]]))) {
                continue;
            }
            int at = n < k ? n++ : k - 1;
            while (at > 0 && logits[ids[at - 1]] < l) {
                ids[at] = ids[at - 1];
                at--;
            }
            ids[at] = i;
        }
        return java.util.Arrays.copyOf(ids, n);
    }
}
