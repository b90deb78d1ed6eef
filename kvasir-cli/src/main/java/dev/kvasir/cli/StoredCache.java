package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.KvcHeader;
import dev.kvasir.cache.PromptCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** A .kvc file loaded without its model (the header says which model it is for), with its file facts. */
record StoredCache(Path path, KvcHeader header, PromptCache cache, long bytes, Instant lastUsed) {

    static StoredCache open(Path path, CliIo io) {
        Path file = io.workingDir().resolve(path);
        if (Files.isDirectory(file)) {
            throw new KvasirException(file + ": is a directory, not a .kvc cache file");
        }
        if (!Files.exists(file)) {
            throw new KvasirException(file + ": no such cache file");
        }
        KvcHeader header = PromptCache.readHeader(file);
        PromptCache cache = PromptCache.load(file, header.model());
        return new StoredCache(file, header, cache, size(file), lastUsed(file));
    }

    /**
     * When the file was last written or used: commands that use a cache set its modification time
     * ({@link GenerateCacheOptions#markUsed}), since access times also change on mere reads (ls, backups) or not at all (noatime).
     */
    static Instant lastUsed(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new KvasirException(file + ": cannot read the file's times (" + e.getMessage() + ")");
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new KvasirException(file + ": cannot read the file size (" + e.getMessage() + ")");
        }
    }

    int tokens() {
        return cache.size();
    }

    double bytesPerToken() {
        return tokens() == 0 ? 0 : (double) bytes / tokens();
    }

    String kind() {
        var o = header.options();
        String storage = switch (o.kind()) {
            case FULL -> o.type().name();
            case WINDOWED -> "windowed " + o.type().name();
            case ROTATING -> "rotating " + o.type() + " (" + o.maxSize() + " positions, keep " + o.keep() + ")";
            case QUANTIZED -> o.bits() + "-bit (group " + o.groupSize() + ")";
        };
        return cache.metadata().getOrDefault(dev.kvasir.workflow.CacheKeys.KIND, "cache") + ", " + storage;
    }

    /**
     * The layer kinds and what the sliding-window layers hold: every position (a full or quantized
     * cache: trim, fork and prefix reuse work) or only their window (windowed: continuation only).
     */
    String layers() {
        var layout = header.model().layout();
        if (!layout.hasSlidingLayers()) {
            return layout.layers() + ", all full attention";
        }
        long sliding = layout.kinds().stream().filter(k -> k instanceof dev.kvasir.cache.LayerKind.Sliding).count();
        int w = layout.largestWindow();
        String held = header.options().kind() == dev.kvasir.cache.CacheOptions.Kind.WINDOWED
                ? "sliding layers keep only their last " + w + " positions (continue: yes; trim, fork or prefix reuse"
                        + " past them: no)"
                : "sliding layers keep every position, masked to the last " + w + " (trim, fork and prefix reuse work)";
        return layout.layers() + ": " + sliding + " sliding-window (" + w + "), " + (layout.layers() - sliding)
                + " full; " + held;
    }
}
