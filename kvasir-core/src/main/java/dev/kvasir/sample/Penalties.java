package dev.kvasir.sample;

import java.util.HashMap;
import java.util.Map;

/**
 * llama.cpp's repetition, frequency and presence penalties over the last N accepted tokens
 * ({@code llama_sampler_penalties}).
 */
final class Penalties {
    private final SamplerSettings settings;
    private int[] history;
    private int start;
    private int size;

    Penalties(SamplerSettings settings, int[] initialHistory) {
        this.settings = settings;
        // a bounded history is a ring of exactly repeatLastN slots; an unbounded one grows
        this.history = new int[settings.repeatLastN() > 0 ? settings.repeatLastN() : 16];
        for (int token : initialHistory) {
            accept(token);
        }
    }

    void accept(int token) {
        int limit = settings.repeatLastN();
        if (limit == 0) {
            return;
        }
        if (size == history.length) {
            if (limit > 0) {
                history[start] = token; // overwrite the oldest
                start = (start + 1) % history.length;
                return;
            }
            history = toArray(history.length * 2);
            start = 0;
        }
        history[(start + size) % history.length] = token;
        size++;
    }

    int[] history() {
        return toArray(size);
    }

    private int[] toArray(int capacity) {
        int[] out = new int[Math.max(capacity, size)];
        for (int i = 0; i < size; i++) {
            out[i] = history[(start + i) % history.length];
        }
        return out;
    }

    /** Penalizes, in place, every token seen in the history, once per distinct token. */
    void apply(float[] logits) {
        if (!settings.penaltiesEnabled() || size == 0) {
            return;
        }
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < size; i++) {
            counts.merge(history[(start + i) % history.length], 1, Integer::sum);
        }
        counts.forEach((token, count) -> {
            if (token < 0 || token >= logits.length) {
                return;
            }
            float logit = logits[token];
            logit = logit <= 0 ? logit * settings.repeatPenalty() : logit / settings.repeatPenalty();
            logits[token] = logit - count * settings.frequencyPenalty() - settings.presencePenalty();
        });
    }
}
