package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.workflow.CacheKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code kvasir cache verify F}: replays every checkpoint with its CRC; fails on a torn or corrupt
 * tail, and on a recorded model file that no longer matches the cache's fingerprint.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check every checkpoint of a cache file (and its model, when recorded).")
final class CacheVerifyCommand implements Callable<Integer> {
    private static final String VOCABULARY = "tokenizer.ggml.tokens";
    private final CliIo io;

    @Parameters(paramLabel = "FILE.kvc")
    Path file;

    CacheVerifyCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        StoredCache c = StoredCache.open(file, io);
        var report = c.cache().loadReport();
        if (!report.intact()) {
            throw new KvasirException(c.path() + ": " + report.ignoredBytes() + " bytes after checkpoint "
                    + report.checkpoints() + " are damaged (" + report.problem() + "); the cache loads as its first "
                    + report.tokens() + " tokens, and 'kvasir cache compact' rewrites it without the damage");
        }
        String model = c.cache().metadata().get(CacheKeys.MODEL_FILE);
        String modelStatus = "model file not recorded";
        if (model != null && Files.isRegularFile(Path.of(model))) {
            try (GgufFile gguf = GgufFile.open(Path.of(model))) {
                if (!gguf.fingerprint().equals(c.header().model().fingerprint())) {
                    throw new KvasirException(c.path() + ": the model file " + model
                            + " changed since the cache was made (fingerprint differs); recompute the cache");
                }
                checkTokenIds(c, gguf.metadata().raw(VOCABULARY) instanceof dev.kvasir.gguf.GgufArray a ? a.length() : -1);
            }
            modelStatus = "model " + model + " matches";
        } else if (model != null) {
            modelStatus = "model " + model + " is missing";
        }
        io.out().println(c.path() + ": ok, " + report.checkpoints() + " checkpoints, " + c.tokens() + " tokens, "
                + modelStatus);
        return 0;
    }

    /** A record can pass its CRC and still hold ids the model cannot have (a foreign or buggy writer). */
    private static void checkTokenIds(StoredCache c, int vocabulary) {
        int[] ids = c.cache().tokens();
        for (int p = 0; p < ids.length && vocabulary > 0; p++) {
            if (ids[p] < 0 || ids[p] >= vocabulary) {
                throw new KvasirException(c.path() + ": token " + p + " has id " + ids[p] + ", outside the model's vocabulary of "
                        + vocabulary + "; 'kvasir cache trim " + c.path().getFileName() + " " + p + "' keeps the valid prefix");
            }
        }
    }
}
