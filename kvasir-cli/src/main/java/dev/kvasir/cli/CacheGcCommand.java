package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kvasir cache gc DIR --max-bytes B}: deletes the least recently used .kvc files until the rest fit in B bytes. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = "Delete the oldest-used .kvc files of a directory until the rest fit in --max-bytes.")
final class CacheGcCommand implements Callable<Integer> {
    private final CliIo io;

    @Parameters(paramLabel = "DIR")
    Path dir;

    @Option(names = "--max-bytes", paramLabel = "B", required = true, description = "Size budget, e.g. 500000, 200M or 2G.")
    String maxBytes;

    @Option(names = "--dry-run", description = "Only print what would be deleted.")
    boolean dryRun;

    CacheGcCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        long budget = parseBytes(maxBytes);
        var entries = CacheDirectory.list(dir, io);
        long total = entries.stream().mapToLong(CacheDirectory.Entry::bytes).sum();
        int deleted = 0;
        for (CacheDirectory.Entry e : entries) {
            if (total <= budget) {
                break;
            }
            if (!dryRun) {
                delete(e.path());
            }
            total -= e.bytes();
            deleted++;
            io.out().println((dryRun ? "would delete " : "deleted ") + e.path() + " (" + e.bytes() + " bytes, last used "
                    + e.lastUsed() + ")");
        }
        io.out().println(deleted + " deleted, " + (entries.size() - deleted) + " kept, " + total + " bytes");
        return 0;
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new KvasirException(p + ": cannot delete (" + e.getMessage() + ")");
        }
    }

    static long parseBytes(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long unit = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new KvasirException("--max-bytes: '" + text + "' is not a size; give bytes, optionally with K, M or G");
        }
    }
}
