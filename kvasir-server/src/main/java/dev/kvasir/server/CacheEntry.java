package dev.kvasir.server;

import dev.kvasir.cache.PromptCache;
import java.util.ArrayList;
import java.util.List;

/**
 * One cached token sequence of the prefix cache: in RAM ({@code ram}), in the persistent tier
 * ({@code key}), or both (a promoted or written-behind entry keeps its stored copy, so evicting it
 * from RAM costs nothing). Guarded by the {@link PrefixCache} lock; the RAM copy is never written
 * to, only forked.
 */
final class CacheEntry {
    /** A stored copy of an entry this one replaced, kept until this one is stored (a kill in between loses neither). */
    record Retired(String key, long bytes) {
    }

    final int[] tokens;
    PromptCache ram;
    long ramBytes;
    String key;
    long storedBytes;
    long lastUsed;
    /** Write-behind: when the writer may store it (System.nanoTime). */
    long dueNanos;
    /** The writer is storing a fork of it right now (outside the lock). */
    boolean writing;
    /** The entry that replaced this one while it was being written: it inherits the written copy. */
    CacheEntry supersededBy;
    final List<Retired> retired = new ArrayList<>();

    CacheEntry(int[] tokens) {
        this.tokens = tokens;
    }

    boolean inRam() {
        return ram != null;
    }

    boolean stored() {
        return key != null;
    }
}
