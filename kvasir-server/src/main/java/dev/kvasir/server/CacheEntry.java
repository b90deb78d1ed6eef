package dev.kvasir.server;

import dev.kvasir.cache.PromptCache;
import java.nio.file.Path;

/**
 * One cached token sequence of the prefix cache: in RAM ({@code ram}), on disk ({@code file}), or
 * both (a promoted entry keeps its file, so evicting it again costs nothing). Guarded by the
 * {@link PrefixCache} lock; the RAM copy is never written to, only forked.
 */
final class CacheEntry {
    final int[] tokens;
    PromptCache ram;
    long ramBytes;
    Path file;
    long diskBytes;
    long lastUsed;

    CacheEntry(int[] tokens) {
        this.tokens = tokens;
    }

    boolean inRam() {
        return ram != null;
    }

    boolean onDisk() {
        return file != null;
    }
}
