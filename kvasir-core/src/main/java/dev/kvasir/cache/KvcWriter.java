package dev.kvasir.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes .kvc headers and checkpoint records (layouts in docs/cache-format.md). */
final class KvcWriter {
    static final byte[] MAGIC = "KVASIRKV".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CHECKPOINT = "KVCK".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
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
        sink.putInt(VERSION);
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
        int[][] segments = StoredView.held(cache, start, end);
        long payload = 12L + 4L * ids.length + 8L * segments.length + metadataBytes(metadata);
        int layers = cache.layout().layers();
        for (int l = 0; l < layers; l++) {
            for (int[] s : segments) {
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
        sink.putInt(segments.length);
        for (int[] s : segments) {
            sink.putInt(s[0]);
            sink.putInt(s[1]);
        }
        for (int l = 0; l < layers; l++) {
            for (int[] s : segments) {
                RowsIo.write(StoredView.keys(cache, l), s[0], s[1], sink);
            }
            for (int[] s : segments) {
                RowsIo.write(StoredView.values(cache, l), s[0], s[1], sink);
            }
        }
        check(sink.endRecord(), RECORD_HEAD + payload);
        return RECORD_HEAD + payload + 4;
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
