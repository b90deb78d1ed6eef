package dev.kvasir.sample;

import java.util.Arrays;

/**
 * The tokens still in the running and their logits, most likely first: llama.cpp's
 * {@code llama_token_data_array}. Each filter shrinks the list in place and always keeps at least one token.
 */
final class Candidates {
    private final int[] ids;
    private final float[] logits;
    private int size;

    private Candidates(int[] ids, float[] logits) {
        this.ids = ids;
        this.logits = logits;
        this.size = ids.length;
    }

    /** All tokens, sorted by logit descending; equal logits keep the lower id first (deterministic). */
    static Candidates sorted(float[] logits) {
        long[] keys = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            keys[i] = key(logits, i);
        }
        return fromKeys(keys, logits);
    }

    /**
     * The top-k filter fused with the sort: the {@code k} most likely tokens in {@link #sorted} order, found
     * with a size-k heap so a large vocabulary is not sorted whole; {@code k <= 0} keeps every token.
     */
    static Candidates top(float[] logits, int k) {
        if (k <= 0 || k >= logits.length) {
            return sorted(logits);
        }
        long[] heap = new long[k]; // min-heap of the k largest keys seen
        for (int i = 0; i < k; i++) {
            heap[i] = key(logits, i);
        }
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(heap, i);
        }
        for (int i = k; i < logits.length; i++) {
            long key = key(logits, i);
            if (key > heap[0]) {
                heap[0] = key;
                siftDown(heap, 0);
            }
        }
        return fromKeys(heap, logits);
    }

    /** High half orders by logit, low half by reversed id, so ascending key order is ascending likelihood. */
    private static long key(float[] logits, int id) {
        return ((long) sortableBits(logits[id]) << 32) | (Integer.MAX_VALUE - id);
    }

    private static Candidates fromKeys(long[] keys, float[] logits) {
        Arrays.sort(keys);
        int n = keys.length;
        int[] ids = new int[n];
        float[] sortedLogits = new float[n];
        for (int i = 0; i < n; i++) {
            int id = Integer.MAX_VALUE - (int) keys[n - 1 - i];
            ids[i] = id;
            sortedLogits[i] = logits[id];
        }
        return new Candidates(ids, sortedLogits);
    }

    private static void siftDown(long[] heap, int i) {
        while (true) {
            int smallest = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < heap.length && heap[left] < heap[smallest]) {
                smallest = left;
            }
            if (right < heap.length && heap[right] < heap[smallest]) {
                smallest = right;
            }
            if (smallest == i) {
                return;
            }
            long t = heap[i];
            heap[i] = heap[smallest];
            heap[smallest] = t;
            i = smallest;
        }
    }

    /** Maps a float to an int whose signed order is the float's numeric order. */
    private static int sortableBits(float f) {
        int bits = Float.floatToIntBits(f);
        return bits >= 0 ? bits : bits ^ Integer.MAX_VALUE;
    }

    int size() {
        return size;
    }

    int id(int i) {
        return ids[i];
    }

    float logit(int i) {
        return logits[i];
    }

    /** Keeps the most likely tokens until their cumulative probability reaches {@code p} (that token included). */
    void topP(float p) {
        if (p >= 1.0f) {
            return;
        }
        double[] probs = probabilities();
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            cumulative += probs[i];
            if (cumulative >= p) {
                size = i + 1;
                return;
            }
        }
    }

    /** Drops tokens whose probability is below {@code p} times the top token's, compared as logits like llama.cpp. */
    void minP(float p) {
        if (p <= 0.0f) {
            return;
        }
        float threshold = logits[0] + (float) Math.log(p);
        int keep = 1;
        while (keep < size && logits[keep] >= threshold) {
            keep++;
        }
        size = keep;
    }

    void temperature(float t) {
        for (int i = 0; i < size; i++) {
            logits[i] /= t;
        }
    }

    /** Softmax over the remaining tokens, in list order. */
    double[] probabilities() {
        double max = logits[0];
        double[] probs = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            probs[i] = Math.exp(logits[i] - max);
            sum += probs[i];
        }
        for (int i = 0; i < size; i++) {
            probs[i] /= sum;
        }
        return probs;
    }

    /** The token where the cumulative probability first exceeds {@code u} in [0, 1). */
    int pick(double u) {
        double[] probs = probabilities();
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            cumulative += probs[i];
            if (u < cumulative) {
                return ids[i];
            }
        }
        for (int i = size - 1; i > 0; i--) { // rounding left the sum just below u: the last token that can occur
            if (probs[i] > 0) {
                return ids[i];
            }
        }
        return ids[0];
    }
}
