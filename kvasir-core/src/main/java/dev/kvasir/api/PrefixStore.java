package dev.kvasir.api;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.workflow.CacheKeys;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The prompt caches of recent stateless calls, found again by token ids: a call starts from the entry
 * sharing the longest prefix with its prompt, so the next call of a conversation (whatever keeps its
 * messages) computes only the new turn. An entry the prompt fully extends is taken over and saved again by
 * appending; one that shares less is forked, so neither conversation loses its cache. With a directory,
 * each entry is a .kvc file saved after every call and found again on the next start. At most
 * {@code max} entries, least recently used dropped first. Thread-safe (one lock; the work runs outside it).
 */
final class PrefixStore {
    private static final String SUFFIX = ".kvc";
    /** The {@link CacheKeys#KIND} of the store's files: only those are adopted and evicted, never a user's other .kvc files. */
    static final String KIND = "prompt-store";

    /** A cache and the file it is saved to (null in memory only). */
    record Entry(PromptCache cache, Path file) {
    }

    private final ModelIdentity model;
    private final Path dir;
    private final int max;
    private final List<Entry> entries = new ArrayList<>(); // least recently used first

    PrefixStore(ModelIdentity model, Path dir, int max) {
        this.model = model;
        this.dir = dir;
        this.max = max;
        if (dir != null) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new KvasirException(dir + ": cannot create the cache directory (" + e.getMessage() + "); choose another cacheDir");
            }
            scan();
        }
    }

    /** The entry to run {@code prompt} on: a cached one holding the longest common prefix, else an empty one. */
    synchronized Entry checkout(int[] prompt) {
        Entry best = null;
        int bestLength = 0;
        for (Entry e : entries) {
            int n = e.cache().commonPrefix(prompt);
            if (n > bestLength) {
                best = e;
                bestLength = n;
            }
        }
        if (best == null) {
            return fresh();
        }
        if (bestLength == best.cache().size() && bestLength < prompt.length) {
            entries.remove(best); // the prompt continues this sequence: take it over, its file is appended to
            return best;
        }
        return new Entry(best.cache().fork(), newFile());
    }

    /** Keeps a finished call's cache; entries it extends are dropped, since it covers them. */
    synchronized void checkin(Entry entry) {
        if (max == 0 || entry.cache().size() == 0) {
            delete(entry.file());
            return;
        }
        int[] tokens = entry.cache().tokens();
        for (Entry e : List.copyOf(entries)) {
            if (e.cache().size() <= tokens.length && e.cache().commonPrefix(tokens) == e.cache().size()) {
                entries.remove(e);
                delete(e.file());
            }
        }
        if (entry.file() != null) {
            entry.cache().save(entry.file()); // under the lock: two saves never interleave in one directory
        }
        entries.add(entry);
        while (entries.size() > max) {
            delete(entries.removeFirst().file());
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private Entry fresh() {
        PromptCache pc = PromptCache.create(model, CacheOptions.full());
        pc.putMetadata(CacheKeys.KIND, KIND);
        return new Entry(pc, newFile());
    }

    private Path newFile() {
        return dir == null ? null : dir.resolve(UUID.randomUUID() + SUFFIX);
    }

    /** Loads this model's caches from the directory, oldest first; other models' files are left alone. */
    private void scan() {
        record Found(Path file, PromptCache cache, FileTime modified) {
        }
        List<Found> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                try {
                    if (!KIND.equals(PromptCache.readHeader(f).metadata().get(CacheKeys.KIND))) {
                        continue; // a session or document cache the user keeps here: not ours to load or delete
                    }
                    FileTime modified = Files.getLastModifiedTime(f);
                    found.add(new Found(f, PromptCache.load(f, model), modified));
                } catch (KvasirException | IOException e) {
                    // another model's cache or a damaged file: not ours to reuse or delete
                }
            }
        } catch (IOException e) {
            throw new KvasirException(dir + ": cannot list the cache directory (" + e.getMessage() + ")");
        }
        found.sort(Comparator.comparing(Found::modified));
        for (Found f : found) {
            entries.add(new Entry(f.cache(), f.file()));
        }
        while (entries.size() > max) {
            delete(entries.removeFirst().file());
        }
    }

    private static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a file left behind is found and reused (or evicted) on the next start
        }
    }

}
