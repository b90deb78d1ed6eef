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
 * its token ids, so the index can be rebuilt from the directory after a restart. Saves go to a hidden
 * temporary file renamed into place ({@link PromptCache#save}), so a kill mid-write leaves no .kvc
 * that loads half a cache; the leftover temporary file is removed by the next {@link #scan()}.
 */
final class DiskTier implements PersistentTier {
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

    @Override
    public String name() {
        return "disk";
    }

    /** Loads every readable cache of this model; files of other models or corrupt ones are skipped with a warning. */
    @Override
    public List<Stored> scan() {
        removeTemporaryFiles();
        List<Stored> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                try {
                    int[] tokens = PromptCache.load(f, model).tokens();
                    out.add(new Stored(key(f), tokens, Files.size(f), Files.getLastModifiedTime(f).toMillis()));
                } catch (KvasirException | IOException e) {
                    LOG.warn("{}: skipped in the prompt cache index: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new KvasirException(dir + ": cannot list the cache directory (" + e.getMessage() + ")");
        }
        return out;
    }

    @Override
    public long save(String key, PromptCache cache) {
        Path file = file(key);
        cache.save(file);
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new KvasirException(file + ": cannot read the size of the saved cache (" + e.getMessage() + ")");
        }
    }

    @Override
    public PromptCache load(String key) {
        return PromptCache.load(file(key), model);
    }

    @Override
    public String keyFor(int[] tokens) {
        return hash(tokens);
    }

    @Override
    public void delete(String key) {
        deleteFile(file(key));
    }

    /**
     * An upper bound of the file a save writes: per token its id and K and V rows of every layer at
     * the widest storage (F32), plus header and checkpoint framing. Checked before writing, so the
     * disk budget holds at every moment, not only after an eviction.
     */
    @Override
    public long estimate(PromptCache cache) {
        KvLayout layout = cache.cache().layout();
        long perToken = 4L + 2L * layout.layers() * layout.kvDim() * Float.BYTES;
        return perToken * cache.size() + 4096;
    }

    Path file(String key) {
        return dir.resolve(key + SUFFIX);
    }

    private static String key(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - SUFFIX.length());
    }

    /** Temporary files of saves a kill interrupted (AtomicFile's hidden ".NAME.kvc.*.tmp"). */
    private void removeTemporaryFiles() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*" + SUFFIX + ".*.tmp")) {
            for (Path f : files) {
                LOG.info("{}: removing the temporary file of an interrupted save", f);
                deleteFile(f);
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot list the cache directory for leftover temporary files: {}", dir, e.getMessage());
        }
    }

    private static void deleteFile(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("{}: cannot delete an evicted cache file: {}", file, e.getMessage());
        }
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
