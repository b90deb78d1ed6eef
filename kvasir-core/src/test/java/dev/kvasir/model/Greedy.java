package dev.kvasir.model;

import dev.kvasir.cache.KvCache;

/** Greedy decoding for tests: argmax of the logits, ties to the lowest id like llama.cpp's top-k 1. */
final class Greedy {
    private Greedy() {
    }

    static int[] generate(Model model, KvCache cache, int[] prompt, int count) {
        int[] out = new int[count];
        float[] logits = model.forward(prompt, 0, prompt.length, cache);
        for (int i = 0; i < count; i++) {
            out[i] = argmax(logits);
            if (i + 1 < count) {
                logits = model.forward(out, i, 1, cache);
            }
        }
        return out;
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
