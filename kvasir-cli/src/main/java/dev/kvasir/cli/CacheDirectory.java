package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The .kvc files directly in a directory, oldest-used first (the order 'cache gc' deletes in). */
final class CacheDirectory {
    record Entry(Path path, long bytes, Instant lastUsed) {}

    private CacheDirectory() {}

    static List<Entry> list(Path dir, CliIo io) {
        Path d = io.workingDir().resolve(dir);
        if (!Files.isDirectory(d)) {
            throw new KvasirException(d + ": not a directory; give the directory holding the .kvc files");
        }
        try (Stream<Path> files = Files.list(d)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".kvc") && Files.isRegularFile(p))
                    .map(p -> new Entry(p, StoredCache.size(p), StoredCache.lastUsed(p)))
                    .sorted(Comparator.comparing(Entry::lastUsed).thenComparing(Entry::path))
                    .toList();
        } catch (IOException e) {
            throw new KvasirException(d + ": cannot list the directory (" + e.getMessage() + ")");
        }
    }
}
