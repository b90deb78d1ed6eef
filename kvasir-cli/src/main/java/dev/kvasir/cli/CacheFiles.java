package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.cache.PromptCache;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opening and creating the .kvc files the commands work on, with one-line errors before any work is done. */
final class CacheFiles {
    private CacheFiles() {}

    /** Loads an existing cache, saying on stderr when a torn tail (an interrupted save) was ignored. */
    static PromptCache load(Path file, ModelIdentity model, CliIo io) {
        PromptCache cache = loadQuietly(file, model);
        noteDamage(file, cache, io);
        return cache;
    }

    /** Loads an existing cache; the caller decides whether it can use it before {@link #noteDamage} says anything. */
    static PromptCache loadQuietly(Path file, ModelIdentity model) {
        if (!Files.exists(file)) {
            throw new KvasirException(file + ": no such cache file; create it with 'kvasir cache-prompt'");
        }
        if (Files.isDirectory(file)) {
            throw new KvasirException(file + ": is a directory, not a .kvc cache file");
        }
        return PromptCache.load(file, model);
    }

    /** Says on stderr when a torn or damaged tail was ignored. */
    static void noteDamage(Path file, PromptCache cache, CliIo io) {
        if (!cache.loadReport().intact()) {
            io.err().println("kvasir: note: " + file + ": " + cache.loadReport()
                    + "; continuing from the last complete checkpoint");
        }
    }

    static PromptCache loadOrCreate(Path file, ModelIdentity model, CacheOptions options, CliIo io) {
        return Files.exists(file) ? load(file, model, io) : PromptCache.create(model, options);
    }

    /** Fails early when {@code file} cannot be written, so no computation is wasted. */
    static void checkWritable(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new KvasirException(file + ": the directory " + dir + " does not exist; create it first");
        }
        if (!Files.isWritable(dir) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new KvasirException(file + ": not writable; choose another destination or fix its permissions");
        }
    }
}
