package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kvasir cache trim F N}: keeps the first N tokens (the file is rewritten atomically). */
@Command(name = "trim", mixinStandardHelpOptions = true, description = "Keep only the first N tokens of a cache file.")
final class CacheTrimCommand implements Callable<Integer> {
    private final CliIo io;

    @Parameters(index = "0", paramLabel = "FILE.kvc")
    Path file;

    @Parameters(index = "1", paramLabel = "N", description = "Tokens to keep.")
    int keep;

    CacheTrimCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        StoredCache c = StoredCache.open(file, io);
        int tokens = c.tokens();
        if (keep < 0 || keep > tokens) {
            throw new KvasirException(c.path() + ": cannot keep " + keep + " tokens, the cache holds " + tokens
                    + "; give N between 0 and " + tokens);
        }
        if (keep < tokens && c.cache().trim(tokens - keep) == 0) {
            throw new KvasirException(c.path() + ": this " + c.kind() + " cache cannot be trimmed to " + keep
                    + " tokens (" + c.cache().whyNotTrim(tokens - keep) + "); recompute it instead");
        }
        CacheFiles.checkWritable(c.path());
        c.cache().save(c.path());
        io.out().println(c.path() + ": kept " + keep + " of " + tokens + " tokens, " + StoredCache.size(c.path()) + " bytes");
        return 0;
    }
}
