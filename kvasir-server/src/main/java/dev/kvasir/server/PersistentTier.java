package dev.kvasir.server;

import dev.kvasir.cache.PromptCache;
import java.util.List;

/**
 * Where prefix-cache entries outlive RAM and the process: {@link DiskTier} (a directory of .kvc
 * files); other stores implement the same five operations. Entries are addressed by a key derived
 * from their token ids, so an index can be rebuilt from {@link #scan()} after a restart.
 * Implementations are called from several threads, but never twice at once for the same key.
 */
interface PersistentTier {
    /** A stored entry as found by {@link #scan()}. */
    record Stored(String key, int[] tokens, long bytes, long modifiedMillis) {
    }

    /** The tier's label in metrics and logs, e.g. "disk". */
    String name();

    /** The key of the sequence {@code tokens}. */
    String keyFor(int[] tokens);

    /** Every readable entry of this model; unreadable ones are skipped (and may be removed). */
    List<Stored> scan();

    /**
     * Stores {@code cache} under {@code key} atomically: a crash at any moment leaves the old entry, the
     * complete new one, or none, never a partial one that loads. Returns the bytes it occupies.
     */
    long save(String key, PromptCache cache);

    /** The entry under {@code key}; a {@link dev.kvasir.KvasirException} when it is missing or unusable. */
    PromptCache load(String key);

    void delete(String key);

    /** An upper bound of the bytes {@link #save} will occupy, checked against the budget before saving. */
    long estimate(PromptCache cache);
}
