package dev.kvasir.server;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.KvLayout;
import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.cache.PromptCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prefix cache's files: one .kvc per cached sequence in {@code DIR/prefix}, named by a hash of
 * its token ids, so the index can be rebuilt from the directory after a restart.
 */
final class DiskTier {
    private static final Logger LOG = LoggerFactory.getLogger(DiskTier.class);
    private static final String SUFFIX = ".kvc";

    private final Path dir;
    private final ModelIdentity model;

    DiskTier(Path cacheDir, ModelIdentity model) {
        this.dir = cacheDir.resolve("prefix");
        this.model = model;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new KvasirException(dir + ": cannot create the cache directory (" + e.getMessage() + "); check --cache-dir");
        }
    }

    /** A loaded file: its cache (with tokens) and its size. */
    record Stored(Path file, PromptCache cache, long bytes, long modifiedMillis) {
    }

    /** Loads every readable cache of this model; files of other models or corrupt ones are skipped with a warning. */
    List<Stored> scan() {
        List<Stored> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                try {
                    out.add(new Stored(f, PromptCache.load(f, model), Files.size(f), Files.getLastModifiedTime(f).toMillis()));
                } catch (KvasirException | IOException e) {
                    LOG.warn("{}: skipped in the prompt cache index: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new KvasirException(dir + ": cannot list the cache directory (" + e.getMessage() + ")");
        }
        return out;
    }

    /** Writes {@code cache}; returns the file size. */
    long save(PromptCache cache, Path file) {
        cache.save(file);
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new KvasirException(file + ": cannot read the size of the saved cache (" + e.getMessage() + ")");
        }
    }

    PromptCache load(Path file) {
        return PromptCache.load(file, model);
    }

    Path fileFor(int[] tokens) {
        return dir.resolve(hash(tokens) + SUFFIX);
    }

    void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("{}: cannot delete an evicted cache file: {}", file, e.getMessage());
        }
    }

    /**
     * An upper bound of the file a save writes: per token its id and K and V rows of every layer at
     * the widest storage (F32), plus header and checkpoint framing. Checked before writing, so the
     * disk budget holds at every moment, not only after an eviction.
     */
    static long estimate(PromptCache cache) {
        KvLayout layout = cache.cache().layout();
        long perToken = 4L + 2L * layout.layers() * layout.kvDim() * Float.BYTES;
        return perToken * cache.size() + 4096;
    }

    private static String hash(int[] tokens) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(4 * tokens.length);
            buf.asIntBuffer().put(tokens);
            return HexFormat.of().formatHex(sha.digest(buf.array()), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
