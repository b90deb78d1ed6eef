package dev.kvasir.gguf;

import dev.kvasir.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Computes {@link GgufFile#fingerprint()}: SHA-256 over
 * <ol>
 *   <li>a version tag of this algorithm,</li>
 *   <li>the whole header up to the end of the tensor infos (version, every metadata key, type and value, every
 *       tensor's name, shape, type and offset),</li>
 *   <li>for each tensor, in file order: all its bytes if it is at most {@value #FULL_LIMIT} bytes; otherwise
 *       {@value #WINDOWS} windows of {@value #WINDOW} bytes spread evenly from its first to its last byte, plus
 *       {@value #ROW_SAMPLE} bytes of every row (for tensors of more than {@value #MAX_ROW_SAMPLES} rows, of rows
 *       spread evenly), at a column offset that varies from row to row.</li>
 * </ol>
 * Why sampling is safe enough: the fingerprint identifies models, it does not defend against forgery. Training
 * (full fine-tunes, merged LoRAs, which are dense low-rank updates) changes essentially every value of every tensor
 * it touches, so the windows catch it; the per-row samples also catch updates confined to a few rows, such as
 * training only the embeddings of new special tokens. Re-quantizing or converting changes the metadata or types.
 * What it can miss is a deliberate edit of a few bytes between samples. Cost: at most ~{@value #WINDOWS} × 4 KiB plus
 * {@value #MAX_ROW_SAMPLES} × {@value #ROW_SAMPLE} bytes per tensor are hashed (a few MB for a 1 GB model); the
 * row samples touch each page of large matrices once, which is cheap once the model is in the page cache.
 */
final class GgufFingerprint {
    static final int FULL_LIMIT = 64 * 1024;
    static final int WINDOW = 4096;
    static final int WINDOWS = 17;
    static final int ROW_SAMPLE = 16;
    static final int MAX_ROW_SAMPLES = 1 << 16;
    /** Hex digits returned: 128 bits, far beyond accidental collisions among any set of models. */
    static final int BYTES = 16;
    private static final byte[] TAG = "kvasir-gguf-fingerprint-v1\n".getBytes(StandardCharsets.US_ASCII);

    private GgufFingerprint() {}

    static String of(GgufFile file) {
        MessageDigest sha = sha256();
        sha.update(TAG);
        update(sha, file.mapping().asSlice(0, file.header().infoEnd()));
        for (GgufTensorInfo t : file.tensors()) {
            sample(sha, file.tensorData(t), rowBytes(t));
        }
        byte[] digest = sha.digest();
        return HexFormat.of().formatHex(digest, 0, BYTES);
    }

    private static long rowBytes(GgufTensorInfo t) {
        GgmlType type = t.type();
        return Math.max(1, type.byteSize(t.dim(0)));
    }

    private static void sample(MessageDigest sha, MemorySegment data, long rowBytes) {
        long size = data.byteSize();
        if (size <= FULL_LIMIT) {
            update(sha, data);
            return;
        }
        for (int i = 0; i < WINDOWS; i++) {
            long start = (size - WINDOW) * i / (WINDOWS - 1);
            update(sha, data.asSlice(start, WINDOW));
        }
        sampleRows(sha, data, rowBytes);
    }

    private static void sampleRows(MessageDigest sha, MemorySegment data, long rowBytes) {
        long rows = data.byteSize() / rowBytes;
        long step = Math.max(1, (rows + MAX_ROW_SAMPLES - 1) / MAX_ROW_SAMPLES);
        int length = (int) Math.min(ROW_SAMPLE, rowBytes);
        byte[] batch = new byte[(int) ((rows + step - 1) / step) * length];
        int at = 0;
        for (long row = 0; row < rows; row += step) {
            long column = ((row * 0x9E3779B97F4A7C15L) >>> 33) % (rowBytes - length + 1);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, row * rowBytes + column, batch, at, length);
            at += length;
        }
        sha.update(batch, 0, at);
    }

    private static void update(MessageDigest sha, MemorySegment segment) {
        final long chunk = 1 << 26; // ByteBuffer views are int-indexed
        for (long at = 0; at < segment.byteSize(); at += chunk) {
            sha.update(segment.asSlice(at, Math.min(chunk, segment.byteSize() - at)).asByteBuffer());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
