package dev.kvasir.cache;

import dev.kvasir.KvasirException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a .kvc file: validates the header (a bad header is refused), then replays checkpoints up to
 * the last complete and valid one, copying K/V from the mapped file in bulk. A torn or corrupt tail
 * is ignored and reported, never loaded.
 */
final class KvcReader {
    private final Path path;
    private final MemorySegment file;
    private KvCache cache;
    private int[] tokens = new int[0];
    private Map<String, String> metadata;
    private int checkpoints;
    private long kvRows;

    private KvcReader(Path path, MemorySegment file) {
        this.path = path;
        this.file = file;
    }

    static PromptCache load(Path path, ModelIdentity expected) {
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new KvcReader(path, file).read(expected);
        } catch (NoSuchFileException e) {
            throw new KvasirException(path + ": no such cache file", e);
        } catch (IOException e) {
            throw new KvasirException(path + ": cannot read the cache file (" + e.getMessage() + ")", e);
        }
    }

    /** Reads and validates only the header: the model and cache a file was made for, without a model to check against. */
    static KvcHeader header(Path path) {
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            KvcReader reader = new KvcReader(path, file);
            return reader.header(new KvcCursor(file, 0, file.byteSize()));
        } catch (NoSuchFileException e) {
            throw new KvasirException(path + ": no such cache file", e);
        } catch (IOException e) {
            throw new KvasirException(path + ": cannot read the cache file (" + e.getMessage() + ")", e);
        }
    }

    private PromptCache read(ModelIdentity expected) {
        KvcCursor in = new KvcCursor(file, 0, file.byteSize());
        KvcHeader header = header(in);
        checkModel(header.model(), expected);
        cache = header.options().newCache(header.model().layout());
        metadata = new LinkedHashMap<>(header.metadata());
        long valid = in.pos;
        String problem = null;
        while (in.pos < file.byteSize()) {
            try {
                checkpoint(in);
                valid = in.pos;
                checkpoints++;
            } catch (KvcCursor.Corrupt e) {
                problem = e.getMessage();
                break;
            }
        }
        LoadReport report = new LoadReport(checkpoints, tokens.length, file.byteSize() - valid, problem);
        return PromptCache.loaded(expected, header.options(), cache, tokens, metadata,
                new PromptCache.FileState(path, valid, tokens.length, kvRows), report);
    }

    private KvcHeader header(KvcCursor in) {
        if (!in.matches(KvcWriter.MAGIC)) {
            throw new KvasirException(path + ": not a Kvasir cache file (no KVASIRKV magic); pass a .kvc file written by Kvasir");
        }
        try {
            in.pos += KvcWriter.MAGIC.length;
            int version = in.i32("format version");
            if (version != KvcWriter.VERSION && version != KvcWriter.VERSION_FULL_LAYERS) {
                throw new KvasirException(path + ": .kvc format version " + version + (version > KvcWriter.VERSION
                        ? " is newer than this Kvasir supports (" + KvcWriter.VERSION + "); upgrade Kvasir or recompute the cache"
                        : " is not supported (only " + KvcWriter.VERSION_FULL_LAYERS + " and " + KvcWriter.VERSION
                        + "); recompute the cache"));
            }
            int body = in.i32("header length");
            in.need(body + 4L, "header");
            long end = in.pos + body;
            if (in.crc(0, end) != file.get(KvcCursor.I32, end)) {
                throw new KvcCursor.Corrupt("header checksum mismatch");
            }
            KvcCursor entries = new KvcCursor(file, in.pos, end);
            int count = entries.i32("header entry count");
            Map<String, String> e = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                e.put(entries.string("header key"), entries.string("header value"));
            }
            if (entries.remaining() != 0) {
                throw new KvcCursor.Corrupt("header has " + entries.remaining() + " stray bytes");
            }
            in.pos = end + 4;
            KvcHeader header = KvcHeader.fromEntries(e, path.toString());
            if (KvcWriter.version(header.model().layout()) != version) {
                throw new KvcCursor.Corrupt("format version " + version + " does not match the layer kinds "
                        + header.model().layout().kindLabels());
            }
            return header;
        } catch (KvcCursor.Corrupt e) {
            throw new KvasirException(path + ": the .kvc header is corrupt or truncated (" + e.getMessage()
                    + "); the cache cannot be used, delete it and recompute");
        }
    }

    private void checkModel(ModelIdentity file, ModelIdentity model) {
        if (!file.fingerprint().equals(model.fingerprint())) {
            throw new KvasirException(path + ": cache was made for model " + file.fingerprint() + " but the loaded model is "
                    + model.fingerprint() + "; load the matching model or recompute the cache");
        }
        if (!file.layout().equals(model.layout()) || !file.architecture().equals(model.architecture())) {
            throw new KvasirException(path + ": cache layout " + describe(file) + " does not match the model's "
                    + describe(model) + "; recompute the cache");
        }
        if (Float.compare(file.ropeFreqBase(), model.ropeFreqBase()) != 0 || !file.ropeType().equals(model.ropeType())) {
            throw new KvasirException(path + ": cache keys were rotated with RoPE " + file.ropeType() + " base "
                    + file.ropeFreqBase() + " but the model uses " + model.ropeType() + " base " + model.ropeFreqBase()
                    + "; recompute the cache");
        }
    }

    private static String describe(ModelIdentity m) {
        KvLayout l = m.layout();
        return m.architecture() + " " + l.layers() + " layers x " + l.kvHeads() + " KV heads x " + l.headDim() + " head dim"
                + (l.hasSlidingLayers() ? " (layers " + l.kindLabels() + ")" : "");
    }

    /**
     * Applies one checkpoint record (a KV chunk, {@link KvChunks}) to {@code cache}, which holds
     * {@code size} positions: validated completely (CRC32C, start, sizes) before the cache changes.
     * Returns the token ids it added.
     */
    static int[] replay(MemorySegment record, KvCache cache, int size) throws KvcCursor.Corrupt {
        KvcReader r = new KvcReader(null, record);
        r.cache = cache;
        r.tokens = new int[size];
        r.metadata = Map.of();
        KvcCursor in = new KvcCursor(record, 0, record.byteSize());
        r.checkpoint(in);
        if (in.remaining() != 0) {
            throw new KvcCursor.Corrupt(in.remaining() + " stray bytes after the checkpoint");
        }
        return Arrays.copyOfRange(r.tokens, size, r.tokens.length);
    }

    private void checkpoint(KvcCursor in) throws KvcCursor.Corrupt {
        long at = in.pos;
        if (in.remaining() < KvcWriter.RECORD_HEAD + 4) {
            throw new KvcCursor.Corrupt("checkpoint at offset " + at + " is truncated");
        }
        if (!in.matches(KvcWriter.CHECKPOINT)) {
            throw new KvcCursor.Corrupt("no checkpoint magic at offset " + at);
        }
        in.pos += 4;
        int flags = in.i32("flags");
        long payload = in.i64("payload length");
        if (payload < 0 || payload > in.remaining() - 4) {
            throw new KvcCursor.Corrupt("checkpoint at offset " + at + " is truncated (torn write)");
        }
        long end = in.pos + payload;
        if (in.crc(at, end) != file.get(KvcCursor.I32, end)) {
            throw new KvcCursor.Corrupt("checkpoint at offset " + at + " fails its CRC32C");
        }
        if (flags != 0) {
            throw new KvcCursor.Corrupt("checkpoint at offset " + at + " has unknown flags " + flags);
        }
        payload(new KvcCursor(file, in.pos, end), at);
        in.pos = end + 4;
    }

    /** Validates the whole payload before changing anything, so a bad record never half-applies. */
    private void payload(KvcCursor in, long at) throws KvcCursor.Corrupt {
        int start = in.i32("start position");
        if (start != tokens.length) {
            throw new KvcCursor.Corrupt("checkpoint at offset " + at + " starts at position " + start + ", expected " + tokens.length);
        }
        int n = in.i32("token count");
        if (n < 0 || (long) start + n > Integer.MAX_VALUE) {
            throw new KvcCursor.Corrupt("checkpoint at offset " + at + " has an invalid token count " + n);
        }
        int[] ids = in.ints(n, "token ids");
        Map<String, String> newMetadata = metadata(in);
        int[][][] held = KvcWriter.held(cache, start, start + n);
        int layers = cache.layout().layers();
        boolean perLayer = KvcWriter.version(cache.layout()) >= 2;
        for (int l = 0; l < (perLayer ? layers : 1); l++) {
            if (in.i32("segment count") != held[l].length) {
                throw new KvcCursor.Corrupt("checkpoint at offset " + at + " holds K/V for other positions than its kind keeps");
            }
            for (int[] s : held[l]) {
                if (in.i32("segment start") != s[0] || in.i32("segment length") != s[1]) {
                    throw new KvcCursor.Corrupt("checkpoint at offset " + at + " holds K/V for other positions than its kind keeps");
                }
            }
        }
        long kvBytes = 0;
        for (int l = 0; l < layers; l++) {
            for (int[] s : held[l]) {
                kvBytes += RowsIo.bytes(StoredView.keys(cache, l), s[0], s[1]) + RowsIo.bytes(StoredView.values(cache, l), s[0], s[1]);
            }
        }
        if (kvBytes != in.remaining()) {
            throw new KvcCursor.Corrupt("checkpoint at offset " + at + " has " + in.remaining() + " bytes of K/V, expected " + kvBytes);
        }
        long offset = in.pos;
        for (int l = 0; l < layers; l++) {
            for (int[] s : held[l]) {
                offset = RowsIo.read(StoredView.keys(cache, l), s[0], s[1], file, offset);
            }
            for (int[] s : held[l]) {
                offset = RowsIo.read(StoredView.values(cache, l), s[0], s[1], file, offset);
                kvRows += l == 0 ? s[1] : 0;
            }
        }
        StoredView.restored(cache, start + n);
        tokens = Arrays.copyOf(tokens, start + n);
        System.arraycopy(ids, 0, tokens, start, n);
        if (newMetadata != null) {
            metadata = newMetadata;
        }
    }

    private static Map<String, String> metadata(KvcCursor in) throws KvcCursor.Corrupt {
        int count = in.i32("metadata count");
        if (count == KvcWriter.METADATA_UNCHANGED) {
            return null;
        }
        if (count < 0) {
            throw new KvcCursor.Corrupt("negative metadata count");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            m.put(in.string("metadata key"), in.string("metadata value"));
        }
        return m;
    }
}
