package dev.kvasir.cache;

import dev.kvasir.KvasirException;
import dev.kvasir.io.AtomicFile;
import dev.kvasir.model.Model;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A prompt cache: a {@link KvCache}, the token ids it represents, and user metadata, persisted as a
 * .kvc file (docs/cache-format.md). Like mlx-lm's prompt caches, but saves are append-only
 * checkpoints: saving after {@code N} new tokens writes O(N) bytes and is crash-safe.
 *
 * <p>Use: run the model's forward pass on {@link #cache()}, then report the ids it consumed with
 * {@link #accepted}. Not thread-safe.
 */
public final class PromptCache {
    /** Where this cache is persisted and how much of it the file already holds. */
    record FileState(Path path, long validLength, int persistedTokens, long kvRows) {
    }

    private final ModelIdentity model;
    private final CacheOptions options;
    private KvCache cache;
    private int[] tokens;
    private int count;
    private Map<String, String> metadata;
    private boolean metadataDirty;
    private FileState file;
    private boolean appendable;
    private LoadReport loadReport;

    private PromptCache(ModelIdentity model, CacheOptions options, KvCache cache, int[] tokens, Map<String, String> metadata) {
        this.model = model;
        this.options = options;
        this.cache = cache;
        this.tokens = tokens;
        this.count = tokens.length;
        this.metadata = new LinkedHashMap<>(metadata);
    }

    /** An empty cache for a model described by its identity (layout, fingerprint, RoPE). */
    public static PromptCache create(ModelIdentity model, CacheOptions options) {
        return new PromptCache(model, options, options.newCache(model.layout()), new int[0], Map.of());
    }

    /** An empty cache for a loaded model. */
    public static PromptCache create(Model model, CacheOptions options) {
        return create(ModelIdentity.of(model), options);
    }

    /** Loads a .kvc file for a loaded model; see {@link #load(Path, ModelIdentity)}. */
    public static PromptCache load(Path path, Model model) {
        return load(path, ModelIdentity.of(model));
    }

    /**
     * Loads a .kvc file for a model. Throws {@link KvasirException} if the file belongs to another
     * model or layout, has a newer format version, or a corrupt header; a torn or corrupt tail is
     * ignored and described by {@link #loadReport()}.
     */
    public static PromptCache load(Path path, ModelIdentity model) {
        return KvcReader.load(path, model);
    }

    /**
     * Reads only the header of a .kvc file (model identity, cache options, user metadata as of the
     * header), e.g. to find the model a file was made for before loading it.
     */
    public static KvcHeader readHeader(Path path) {
        return KvcReader.header(path);
    }

    static PromptCache loaded(ModelIdentity model, CacheOptions options, KvCache cache, int[] tokens,
                              Map<String, String> metadata, FileState file, LoadReport report) {
        PromptCache p = new PromptCache(model, options, cache, tokens, metadata);
        p.file = new FileState(file.path().toAbsolutePath().normalize(), file.validLength(), file.persistedTokens(), file.kvRows());
        p.appendable = true;
        p.loadReport = report;
        return p;
    }

    public KvCache cache() {
        return cache;
    }

    public ModelIdentity model() {
        return model;
    }

    public CacheOptions options() {
        return options;
    }

    /** Tokens represented (equals {@code cache().size()} between forward passes). */
    public int size() {
        return count;
    }

    public int[] tokens() {
        return Arrays.copyOf(tokens, count);
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    public void putMetadata(String key, String value) {
        if (!value.equals(metadata.put(key, value))) {
            metadataDirty = true;
        }
    }

    public void removeMetadata(String key) {
        if (metadata.remove(key) != null) {
            metadataDirty = true;
        }
    }

    /** The report of the load that produced this cache, or null if it was created in memory. */
    public LoadReport loadReport() {
        return loadReport;
    }

    /** Records the ids of tokens the forward pass just committed to {@link #cache()}. */
    public void accepted(int... ids) {
        if (cache.size() != count + ids.length) {
            throw new IllegalStateException("cache holds " + cache.size() + " positions but " + (count + ids.length)
                    + " token ids would be recorded");
        }
        if (tokens.length < count + ids.length) {
            tokens = Arrays.copyOf(tokens, Math.max(count + ids.length, tokens.length * 2));
        }
        System.arraycopy(ids, 0, tokens, count, ids.length);
        count += ids.length;
    }

    public boolean canTrim(int n) {
        return n >= 0 && n <= count && cache.canTrim(n);
    }

    /**
     * Why the last {@code n} tokens cannot be removed, in one line, or null when they can: a rotating
     * cache has evicted positions, a windowed cache's sliding-window layers hold only their window.
     */
    public String whyNotTrim(int n) {
        if (canTrim(n)) {
            return null;
        }
        if (n < 0 || n > count) {
            return "cannot remove " + n + " of " + count + " tokens";
        }
        if (options.kind() == CacheOptions.Kind.WINDOWED) {
            return "its sliding-window layers keep only their last " + model.layout().largestWindow()
                    + " positions, so positions before " + (count - model.layout().largestWindow())
                    + " are gone; use a full cache (--cache-kind full) to trim, fork or reuse prefixes";
        }
        return "evicted positions are gone";
    }

    /** Removes the last {@code n} tokens if {@link #canTrim}; returns how many were removed. */
    public int trim(int n) {
        if (!canTrim(n)) {
            return 0;
        }
        int removed = cache.trim(n);
        count -= removed;
        if (file != null && count < file.persistedTokens()) {
            appendable = false; // the file holds tokens we no longer have: the next save rewrites it
        }
        return removed;
    }

    /** Drops everything (for a rotating cache that cannot trim back to a shared prefix). */
    public void clear() {
        cache = options.newCache(model.layout());
        count = 0;
        appendable = false;
    }

    /** Length of the longest common prefix of this cache's tokens and {@code prompt}. */
    public int commonPrefix(int[] prompt) {
        int n = Math.min(count, prompt.length);
        int i = Arrays.mismatch(tokens, 0, n, prompt, 0, n);
        return i < 0 ? n : i;
    }

    /**
     * Prepares to evaluate {@code prompt}: keeps the longest common prefix (but at least one prompt
     * token is left to compute, since its logits are needed), trimming the rest, or clearing the
     * cache when it cannot trim. Returns how many leading prompt tokens are already in the cache.
     */
    public int reuse(int[] prompt) {
        int keep = Math.min(commonPrefix(prompt), Math.max(0, prompt.length - 1));
        if (keep < count && trim(count - keep) == 0) {
            clear();
        }
        return count;
    }

    /**
     * A copy that shares the common prefix's storage copy-on-write; diverging either side never
     * changes the other. The fork is not attached to this cache's file.
     */
    public PromptCache fork() {
        PromptCache f = new PromptCache(model, options, cache.copy(), tokens(), metadata);
        f.metadataDirty = true;
        return f;
    }

    /**
     * Saves to {@code path}. If this cache was loaded from or saved to {@code path} and the file still
     * holds a prefix of it, appends one checkpoint with the new tokens only (O(new tokens) bytes);
     * otherwise writes a complete new file atomically. Returns the bytes written.
     */
    public long save(Path path) {
        checkInSync();
        Path target = path.toAbsolutePath().normalize();
        try {
            if (file != null && file.path().equals(target) && appendable && !needsCompaction() && fileIntact()) {
                return append();
            }
            return rewrite(target);
        } catch (IOException e) {
            throw new KvasirException(path + ": cannot write the cache file (" + e.getMessage() + ")", e);
        }
    }

    /** Rewrites the attached file as a single checkpoint, atomically (temp file + rename). */
    public long compact() {
        if (file == null) {
            throw new IllegalStateException("this prompt cache has no file yet; save it first");
        }
        checkInSync();
        try {
            return rewrite(file.path());
        } catch (IOException e) {
            throw new KvasirException(file.path() + ": cannot write the cache file (" + e.getMessage() + ")", e);
        }
    }

    /** The file this cache was last saved to or loaded from, or null. */
    public Path file() {
        return file == null ? null : file.path();
    }

    private void checkInSync() {
        if (cache.size() != count) {
            throw new IllegalStateException("cache holds " + cache.size() + " positions but " + count
                    + " token ids were recorded; call accepted(ids) after each forward pass");
        }
    }

    /** A rotating cache's file replays evicted positions too; rewrite it once it holds twice the window. */
    private boolean needsCompaction() {
        return options.kind() == CacheOptions.Kind.ROTATING
                && file.kvRows() + (count - file.persistedTokens()) > 2L * options.maxSize();
    }

    private boolean fileIntact() throws IOException {
        return Files.isRegularFile(file.path()) && Files.size(file.path()) >= file.validLength();
    }

    private long append() throws IOException {
        int from = file.persistedTokens();
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.WRITE)) {
            if (channel.size() > file.validLength()) {
                channel.truncate(file.validLength()); // a torn tail from an interrupted save
            }
            channel.position(file.validLength());
            long written;
            try {
                written = KvcWriter.writeCheckpoint(new RecordSink(channel), cache, from,
                        Arrays.copyOfRange(tokens, from, count), metadataDirty ? metadata : null);
                channel.force(true);
            } catch (IOException | RuntimeException e) {
                // e.g. a full disk: cut the partial checkpoint so the file is left exactly as it was
                channel.truncate(file.validLength());
                throw e;
            }
            file = new FileState(file.path(), file.validLength() + written, count, file.kvRows() + heldRows(from));
            metadataDirty = false;
            return written;
        }
    }

    private long rewrite(Path target) throws IOException {
        long[] written = {0};
        Files.createDirectories(target.getParent());
        AtomicFile.write(target, channel -> {
            RecordSink sink = new RecordSink(channel);
            KvcWriter.writeHeader(sink, new KvcHeader(model, options, metadata));
            KvcWriter.writeCheckpoint(sink, cache, 0, tokens(), null);
            written[0] = channel.size();
        });
        syncDirectory(target.getParent());
        file = new FileState(target, written[0], count, heldRows(0));
        appendable = true;
        metadataDirty = false;
        return written[0];
    }

    private long heldRows(int from) {
        long rows = 0;
        for (int[] s : StoredView.held(cache, from, count)) {
            rows += s[1];
        }
        return rows;
    }

    /** Makes the rename durable; not every platform can open a directory, which only weakens durability. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }
}
