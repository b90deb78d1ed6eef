package dev.kvasir.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes .kvc headers and checkpoint records (layouts in docs/cache-format.md). */
final class KvcWriter {
    static final byte[] MAGIC = "KVASIRKV".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CHECKPOINT = "KVCK".getBytes(StandardCharsets.US_ASCII);
    /** The newest format version: 2 records per-layer kinds and lists K/V segments per layer. */
    static final int VERSION = 2;
    /** What files of models whose layers are all full attention are still written as, unchanged. */
    static final int VERSION_FULL_LAYERS = 1;
    /** Metadata count meaning "user metadata unchanged by this checkpoint". */
    static final int METADATA_UNCHANGED = -1;
    /** Magic, flags and payload length before a checkpoint's payload. */
    static final int RECORD_HEAD = 16;

    private KvcWriter() {
    }

    static void writeHeader(RecordSink sink, KvcHeader header) throws IOException {
        Map<String, String> entries = header.entries();
        long body = 4;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            body += 8 + utf8(e.getKey()) + utf8(e.getValue());
        }
        sink.putBytes(MAGIC);
        sink.putInt(version(header.model().layout()));
        sink.putInt(Math.toIntExact(body));
        sink.putInt(entries.size());
        for (Map.Entry<String, String> e : entries.entrySet()) {
            sink.putString(e.getKey());
            sink.putString(e.getValue());
        }
        check(sink.endRecord(), 16 + body);
    }

    /**
     * Writes one checkpoint: positions {@code [start, start + ids.length)} of the cache, with the K/V
     * of those it holds, and the user metadata when {@code metadata} is not null. Returns bytes written.
     */
    static long writeCheckpoint(RecordSink sink, KvCache cache, int start, int[] ids, Map<String, String> metadata)
            throws IOException {
        int end = start + ids.length;
        int layers = cache.layout().layers();
        int[][][] held = held(cache, start, end);
        boolean perLayer = version(cache.layout()) >= 2;
        long payload = 8L + 4L * ids.length + metadataBytes(metadata);
        for (int l = 0; l < layers; l++) {
            if (perLayer || l == 0) {
                payload += 4 + 8L * held[l].length;
            }
            for (int[] s : held[l]) {
                payload += RowsIo.bytes(StoredView.keys(cache, l), s[0], s[1]) + RowsIo.bytes(StoredView.values(cache, l), s[0], s[1]);
            }
        }
        sink.putBytes(CHECKPOINT);
        sink.putInt(0);
        sink.putLong(payload);
        sink.putInt(start);
        sink.putInt(ids.length);
        sink.putArray(ids, java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0, ids.length);
        writeMetadata(sink, metadata);
        for (int l = 0; l < (perLayer ? layers : 1); l++) {
            sink.putInt(held[l].length);
            for (int[] s : held[l]) {
                sink.putInt(s[0]);
                sink.putInt(s[1]);
            }
        }
        for (int l = 0; l < layers; l++) {
            for (int[] s : held[l]) {
                RowsIo.write(StoredView.keys(cache, l), s[0], s[1], sink);
            }
            for (int[] s : held[l]) {
                RowsIo.write(StoredView.values(cache, l), s[0], s[1], sink);
            }
        }
        check(sink.endRecord(), RECORD_HEAD + payload);
        return RECORD_HEAD + payload + 4;
    }

    /** Version 1 for all-full layouts (byte-identical to older Kvasir), else 2. */
    static int version(KvLayout layout) {
        return layout.hasSlidingLayers() ? VERSION : VERSION_FULL_LAYERS;
    }

    /** Per layer, the {@code {start, count}} segments of {@code [start, end)} it holds. */
    static int[][][] held(KvCache cache, int start, int end) {
        int[][][] held = new int[cache.layout().layers()][][];
        for (int l = 0; l < held.length; l++) {
            held[l] = StoredView.held(cache, l, start, end);
        }
        return held;
    }

    private static long metadataBytes(Map<String, String> metadata) {
        long b = 4;
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                b += 8 + utf8(e.getKey()) + utf8(e.getValue());
            }
        }
        return b;
    }

    private static void writeMetadata(RecordSink sink, Map<String, String> metadata) throws IOException {
        if (metadata == null) {
            sink.putInt(METADATA_UNCHANGED);
            return;
        }
        sink.putInt(metadata.size());
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            sink.putString(e.getKey());
            sink.putString(e.getValue());
        }
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void check(long written, long announced) {
        if (written != announced) {
            throw new IllegalStateException("wrote " + written + " bytes for a record announced as " + announced);
        }
    }
}
