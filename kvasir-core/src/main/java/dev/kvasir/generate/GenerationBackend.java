package dev.kvasir.generate;

import dev.kvasir.cache.KvCache;
import dev.kvasir.tokenizer.TokenDecoder;

/** What a generation loop needs from a model and its tokenizer; a seam so the loop can be tested with a scripted model. */
interface GenerationBackend {

    /** Feeds {@code tokens[from .. from+n)} after the cache's contents; returns the logits of the last one. */
    float[] forward(int[] tokens, int from, int n, KvCache cache);

    /** Positions the model can attend over. */
    int contextLength();

    boolean isEndOfGeneration(int token);

    TokenDecoder newDecoder();
}
