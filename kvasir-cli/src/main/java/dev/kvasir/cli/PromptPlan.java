package dev.kvasir.cli;

import dev.kvasir.cache.KvCache;
import dev.kvasir.cache.PromptCache;

/**
 * What a generation starts from: the tokens still to evaluate, the KV cache they go after, and,
 * for {@code --cache}, the prompt cache it came from (null otherwise) with how many tokens it supplied.
 *
 * @param fullText the text the cache holds after the input (null when the cache stores no text)
 */
record PromptPlan(int[] input, KvCache kvCache, PromptCache promptCache, int cachedTokens, double loadMillis,
                  String fullText) {

    static PromptPlan fresh(int[] input, KvCache cache) {
        return new PromptPlan(input, cache, null, 0, 0, null);
    }
}
