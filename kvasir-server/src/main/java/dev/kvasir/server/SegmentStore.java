package dev.kvasir.server;

import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.cache.PromptCache;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Document segments for {@code kvasir_compose}, in RAM, least recently used dropped first beyond a
 * byte budget. A segment is keyed by the hash of the model fingerprint and its token ids (the shared
 * prefix followed by the document), so the same document after the same prefix is computed once,
 * whatever request or position it is used in, and another model's segment can never match.
 * Thread-safe; stored caches are never handed out, only forks of them.
 */
final class SegmentStore {
    private final long budget;
    private final Map<String, PromptCache> segments = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    SegmentStore(long budget) {
        this.budget = budget;
    }

    static String key(ModelIdentity model, int[] ids) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(model.fingerprint().getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.allocate(4 * ids.length);
            for (int id : ids) {
                b.putInt(id);
            }
            sha.update(b.array());
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A fork of the stored segment, or null. */
    synchronized PromptCache get(String key) {
        PromptCache pc = segments.get(key);
        if (pc == null) {
            misses++;
            return null;
        }
        hits++;
        return pc.fork();
    }

    synchronized void put(String key, PromptCache segment) {
        PromptCache old = segments.put(key, segment.fork());
        bytes += segment.cache().bytes() - (old == null ? 0 : old.cache().bytes());
        for (Iterator<PromptCache> it = segments.values().iterator(); bytes > budget && it.hasNext(); ) {
            bytes -= it.next().cache().bytes();
            it.remove();
        }
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long misses() {
        return misses;
    }
}
