package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kvasir cache ls DIR}: one line per cache file, oldest-used first. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List the .kvc files of a directory, oldest-used first.")
final class CacheLsCommand implements Callable<Integer> {
    private final CliIo io;

    @Parameters(paramLabel = "DIR")
    Path dir;

    CacheLsCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        long total = 0;
        var entries = CacheDirectory.list(dir, io);
        for (CacheDirectory.Entry e : entries) {
            total += e.bytes();
            io.out().printf("%-24s %10d bytes  %s  %s%n", e.path().getFileName(), e.bytes(), e.lastUsed(), describe(e.path()));
        }
        io.out().println(entries.size() + " cache files, " + total + " bytes");
        return 0;
    }

    private String describe(Path file) {
        try {
            StoredCache c = StoredCache.open(file, io);
            return c.tokens() + " tokens, " + c.kind();
        } catch (KvasirException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
