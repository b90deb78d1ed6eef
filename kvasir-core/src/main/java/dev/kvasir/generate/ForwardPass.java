package dev.kvasir.generate;

import dev.kvasir.cache.KvCache;

/**
 * How a generation runs the model: by default {@link dev.kvasir.model.Model#forward} directly; a
 * server passes its own so that it can batch the decode steps of concurrent generations.
 */
@FunctionalInterface
public interface ForwardPass {

    /**
     * Feeds {@code tokens[from .. from+n)} after the cache's contents and returns the logits of the
     * last one; the generation reads them before its next call, so the array may be reused then.
     */
    float[] forward(int[] tokens, int from, int n, KvCache cache);
}
