package dev.kvasir.cache;

import dev.kvasir.KvasirException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One KV chunk as bytes (docs/cache-format.md, "KV chunks"): the K/V rows of a run of positions in
 * the .kvc checkpoint encoding, CRC32C included, behind a small magic and version. A chunk is only
 * ever appended to a cache that holds exactly the positions before it, after its checksum, start
 * position, token ids and sizes were all checked, so a torn, flipped or foreign value is refused
 * before it changes anything: the caller recomputes from there.
 */
public final class KvChunks {
    static final byte[] MAGIC = "KVCC".getBytes(StandardCharsets.US_ASCII);
    /** Bumped with any change of the value layout; part of every chunk key too ({@link ChunkKeys}). */
    public static final int VERSION = 1;
    private static final int HEAD = 8;
    private static final int IDS_AT = HEAD + KvcWriter.RECORD_HEAD + 8;

    private KvChunks() {
    }

    /** The chunk of positions {@code [start, start + count)} of {@code pc}. */
    public static byte[] encode(PromptCache pc, int start, int count) {
        checkLinear(pc.cache());
        if (start < 0 || count <= 0 || start + count > pc.size()) {
            throw new IllegalArgumentException("chunk [" + start + ", " + (start + count) + ") outside a cache of " + pc.size());
        }
        int[] ids = Arrays.copyOfRange(pc.tokens(), start, start + count);
        ByteArrayOutputStream out = new ByteArrayOutputStream(IDS_AT + 4 * count + (int) Math.min(Integer.MAX_VALUE / 2,
                count * (2L * pc.cache().layout().layers() * pc.cache().layout().kvDim() * Float.BYTES)));
        out.writeBytes(MAGIC);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(VERSION).array());
        try {
            KvcWriter.writeCheckpoint(new RecordSink(Channels.newChannel(out)), pc.cache(), start, ids, null);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * Appends a chunk to {@code pc}, which must hold exactly the positions before it, and whose ids
     * must be {@code expected}. Throws {@link KvasirException} naming the problem, with {@code pc}
     * unchanged, when the value is not such a chunk (wrong magic or version, other ids, bad CRC,
     * truncated, sizes that do not add up).
     */
    public static void append(PromptCache pc, byte[] value, int[] expected) {
        checkLinear(pc.cache());
        MemorySegment v = MemorySegment.ofArray(value);
        if (value.length < IDS_AT + 4L * expected.length + 4 || !Arrays.equals(value, 0, 4, MAGIC, 0, 4)) {
            throw new KvasirException("not a KV chunk (too short or no KVCC magic)");
        }
        int version = v.get(KvcCursor.I32, 4);
        if (version != VERSION) {
            throw new KvasirException("KV chunk format version " + version + ", this Kvasir reads " + VERSION);
        }
        int start = v.get(KvcCursor.I32, HEAD + KvcWriter.RECORD_HEAD);
        int n = v.get(KvcCursor.I32, HEAD + KvcWriter.RECORD_HEAD + 4);
        if (start != pc.size() || n != expected.length) {
            throw new KvasirException("KV chunk holds positions " + start + "+" + n + ", expected " + pc.size() + "+" + expected.length);
        }
        int[] ids = new int[n];
        MemorySegment.copy(v, KvcCursor.I32, IDS_AT, ids, 0, n);
        if (!Arrays.equals(ids, expected)) {
            throw new KvasirException("KV chunk holds other token ids than its key names");
        }
        try {
            KvcReader.replay(v.asSlice(HEAD), pc.cache(), pc.size());
        } catch (KvcCursor.Corrupt e) {
            throw new KvasirException("corrupt KV chunk: " + e.getMessage());
        }
        pc.accepted(ids);
    }

    /** An upper bound of a chunk's size: ids and K/V rows of every layer at the widest storage (F32), plus framing. */
    public static long maxBytes(KvLayout layout, int count) {
        // ids, metadata count, segment count, one segment, CRC
        return IDS_AT + 4L * count + 4 + 4 + 8 + 4 + 2L * layout.layers() * layout.kvDim() * Float.BYTES * count;
    }

    private static void checkLinear(KvCache cache) {
        if (!(cache instanceof LinearKvCache)) {
            throw new IllegalArgumentException("KV chunks hold caches that keep every position, not a " + cache.getClass().getSimpleName());
        }
    }
}
