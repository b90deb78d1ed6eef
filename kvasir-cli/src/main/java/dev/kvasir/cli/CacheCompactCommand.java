package dev.kvasir.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kvasir cache compact F}: rewrites the file as one checkpoint, atomically, dropping a damaged tail. */
@Command(name = "compact", mixinStandardHelpOptions = true, description = "Rewrite a cache file as a single checkpoint.")
final class CacheCompactCommand implements Callable<Integer> {
    private final CliIo io;

    @Parameters(paramLabel = "FILE.kvc")
    Path file;

    CacheCompactCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        StoredCache c = StoredCache.open(file, io);
        CacheFiles.checkWritable(c.path());
        long after = c.cache().compact();
        io.out().println(c.path() + ": " + c.cache().loadReport().checkpoints() + " checkpoints, " + c.bytes()
                + " bytes -> 1 checkpoint, " + after + " bytes (" + c.tokens() + " tokens)");
        return 0;
    }
}
