package dev.kvasir.server;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.ChunkKeys;
import dev.kvasir.cache.ChunkStore;
import dev.kvasir.cache.KvChunks;
import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.cache.PromptCache;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The third prompt-cache tier, shared by servers: content-addressed KV chunks in a {@link ChunkStore}
 * (Redis). Looked up after RAM and disk: a prompt's chunks beyond what the local tiers hold are
 * fetched in one round trip and appended while their checksums, positions and ids hold; the first
 * missing or bad one ends the fetch, and the rest is recomputed. Finished sequences are written
 * behind, by one thread with a bounded queue: the request never waits for Redis, and since chunks
 * are addressed by content a lost write is only a later miss.
 *
 * <p>Redis down or slow: every call has a deadline; the first failure is logged once, later calls
 * are skipped for a backoff (250 ms doubling to 5 s) and then retried, and the server answers from
 * its local tiers meanwhile. Nothing here ever fails a request.
 */
final class SharedTier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedTier.class);
    private static final long FIRST_BACKOFF = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long MAX_BACKOFF = TimeUnit.SECONDS.toNanos(5);
    private static final int QUEUE = 64;
    private static final int REMEMBERED = 1 << 16;
    private static final byte[] SESSION_MAGIC = {'K', 'V', 'S', 'S'};

    private final ChunkStore store;
    private final ChunkKeys keys;
    private final int chunk;
    private final ServerMetrics metrics;
    private final ThreadPoolExecutor writer;
    private final AtomicInteger pending = new AtomicInteger();
    /** Chunk keys known to be in the store (written or read by this server): not written again. */
    private final Set<String> stored = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    }));
    private boolean down;
    private long retryAt;
    private long backoff = FIRST_BACKOFF;

    SharedTier(ChunkStore store, ModelIdentity model, int chunk, ServerMetrics metrics) {
        this.store = store;
        this.keys = new ChunkKeys(model, CacheOptions.full());
        this.chunk = chunk;
        this.metrics = metrics;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> Thread.ofPlatform().daemon().name("kvasir-shared-writer").unstarted(r));
        metrics.sharedTier(pending::get);
    }

    /**
     * {@code local} extended by the chunks of {@code prompt} the store holds beyond it, or
     * {@code local} itself when the store adds nothing. Never the whole prompt: its last token is computed.
     */
    PrefixCache.Lease extend(PrefixCache.Lease local, int[] prompt) {
        int limit = prompt.length - 1;
        int full = limit / chunk;
        int first = local.reused() / chunk; // chunks before this one are all held locally
        byte[][] chain = keys.chain(prompt, chunk, full);
        List<String> wanted = new ArrayList<>();
        for (int i = first; i < full; i++) {
            wanted.add(keys.key(chain[i]));
        }
        List<byte[]> values = wanted.isEmpty() ? List.of() : call(() -> store.get(wanted), null);
        if (values == null) {
            return local;
        }
        int have = first;
        while (have < full && values.get(have - first) != null) {
            have++;
        }
        if (have < full) {
            stored.remove(wanted.get(have - first)); // evicted (or never written): write it again next time
        }
        byte[] parent = have == 0 ? keys.root() : chain[have - 1];
        int at = have * chunk;
        int[] child = bestChild(parent, prompt, at, limit - at);
        int useful = child == null ? 0 : common(child, prompt, at, limit - at);
        String childKey = child == null ? null : keys.key(keys.next(parent, child, 0, child.length));
        if (at + useful <= local.reused()) {
            return local;
        }
        PromptCache pc = local.cache().fork(); // local stays intact, to fall back on
        pc.trim(pc.size() - first * chunk);
        int applied = first;
        while (applied < have && apply(pc, values.get(applied - first), Arrays.copyOfRange(prompt, applied * chunk, (applied + 1) * chunk),
                wanted.get(applied - first))) {
            stored.add(wanted.get(applied - first));
            applied++;
        }
        for (int i = applied; i < have; i++) {
            stored.remove(wanted.get(i - first)); // unverified: written again by the next publish
        }
        if (applied < have && childKey != null) {
            stored.remove(childKey);
        }
        if (applied == have && useful > 0) {
            List<byte[]> v = call(() -> store.get(List.of(childKey)), null);
            if (v != null && v.getFirst() != null && apply(pc, v.getFirst(), child, childKey)) {
                pc.trim(child.length - useful); // the prompt shares only the first positions of this chunk
            }
        }
        if (pc.size() <= local.reused()) {
            return local;
        }
        return new PrefixCache.Lease(pc, pc.size(), "redis");
    }

    /** Queues the chunks of a finished sequence for writing; {@code entry} is a cache entry that is never written to. */
    void publish(PromptCache entry) {
        if (entry.size() == 0) {
            return;
        }
        PromptCache snapshot = entry.fork();
        pending.incrementAndGet();
        try {
            writer.execute(() -> {
                try {
                    write(snapshot);
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            metrics.sharedDropped();
        }
    }

    /** Writes a session's chunks and its record now (a save the client waits for); false when the store is unreachable. */
    boolean saveSession(String name, PromptCache pc) {
        if (!write(pc)) {
            return false;
        }
        int[] tokens = pc.tokens();
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * tokens.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SESSION_MAGIC).putInt(tokens.length);
        b.asIntBuffer().put(tokens);
        b.position(8 + 4 * tokens.length);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return call(() -> {
            store.put(keys.sessionKey(name), b.array());
            return true;
        }, false);
    }

    /** A session's token ids, or null when the store has none (or is unreachable, or the record is damaged). */
    int[] sessionTokens(String name) {
        List<byte[]> v = call(() -> store.get(List.of(keys.sessionKey(name))), null);
        byte[] r = v == null ? null : v.getFirst();
        if (r == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN);
        int n = r.length >= 12 ? b.getInt(4) : -1;
        CRC32C crc = new CRC32C();
        if (n >= 0 && r.length == 12 + 4L * n) {
            crc.update(r, 0, r.length - 4);
        }
        if (n < 0 || r.length != 12 + 4L * n || !Arrays.equals(r, 0, 4, SESSION_MAGIC, 0, 4) || (int) crc.getValue() != b.getInt(r.length - 4)) {
            metrics.sharedCorrupt();
            LOG.warn("session '{}' in {}: damaged record ignored", name, store.describe());
            return null;
        }
        int[] tokens = new int[n];
        b.position(8);
        b.asIntBuffer().get(tokens);
        return tokens;
    }

    boolean deleteSession(String name) {
        boolean existed = sessionTokens(name) != null;
        call(() -> {
            store.delete(keys.sessionKey(name));
            return true;
        }, false);
        return existed;
    }

    String describe() {
        return store.describe();
    }

    /** Waits up to 5 s for queued writes, then closes the connections. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    /** Writes every chunk of {@code pc} the store is not known to hold; false when the store failed. */
    private boolean write(PromptCache pc) {
        int[] tokens = pc.tokens();
        byte[] parent = keys.root();
        for (int start = 0; start < tokens.length; start += chunk) {
            int end = Math.min(tokens.length, start + chunk);
            byte[] hash = keys.next(parent, tokens, start, end);
            if (!put(parent, keys.key(hash), pc, tokens, start, end)) {
                return false;
            }
            parent = hash;
        }
        return true;
    }

    private boolean put(byte[] parent, String key, PromptCache pc, int[] tokens, int start, int end) {
        if (stored.contains(key)) {
            return true;
        }
        byte[] value = KvChunks.encode(pc, start, end - start);
        boolean ok = call(() -> {
            store.put(key, value);
            store.addMember(keys.childrenKey(parent), ids(tokens, start, end));
            return true;
        }, false);
        if (ok) {
            stored.add(key);
            metrics.sharedWritten(value.length);
        }
        return ok;
    }

    private boolean apply(PromptCache pc, byte[] value, int[] ids, String key) {
        int start = pc.size();
        try {
            KvChunks.append(pc, value, ids);
            metrics.sharedRead(value.length);
            return true;
        } catch (KvasirException e) {
            metrics.sharedCorrupt();
            stored.remove(key);
            LOG.warn("{}: chunk {} at position {} refused ({}); recomputing from there", store.describe(), key, start, e.getMessage());
            return false;
        }
    }

    /** The token ids of the chunk stored after {@code parent} sharing most of {@code prompt[at, at + room)}, or null. */
    private int[] bestChild(byte[] parent, int[] prompt, int at, int room) {
        if (room <= 0) {
            return null;
        }
        int[] best = null;
        int bestLength = 0;
        for (String m : call(() -> store.members(keys.childrenKey(parent)), Set.<String>of())) {
            int[] ids = parseIds(m);
            int n = ids == null ? 0 : common(ids, prompt, at, room);
            if (n > bestLength) {
                best = ids;
                bestLength = n;
            }
        }
        return best;
    }

    private static int common(int[] ids, int[] prompt, int at, int room) {
        int n = Math.min(ids.length, room);
        int i = Arrays.mismatch(ids, 0, n, prompt, at, at + n);
        return i < 0 ? n : i;
    }

    private static int[] parseIds(String member) {
        try {
            return Arrays.stream(member.split(",")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            return null; // not written by Kvasir
        }
    }

    private static String ids(int[] tokens, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append(i > from ? "," : "").append(tokens[i]);
        }
        return b.toString();
    }

    private <T> T call(Supplier<T> op, T fallback) {
        synchronized (this) {
            if (down && System.nanoTime() < retryAt) {
                return fallback;
            }
        }
        try {
            T result = op.get();
            recovered();
            return result;
        } catch (ChunkStore.Unavailable e) {
            failed(e);
            return fallback;
        }
    }

    private synchronized void failed(ChunkStore.Unavailable e) {
        metrics.sharedError();
        if (!down) {
            down = true;
            backoff = FIRST_BACKOFF;
            metrics.sharedAvailable(false);
            LOG.warn("shared prompt cache unavailable ({}); answering from the local tiers and recomputing, retrying with backoff",
                    e.getMessage());
        } else {
            backoff = Math.min(2 * backoff, MAX_BACKOFF);
        }
        retryAt = System.nanoTime() + backoff;
    }

    private synchronized void recovered() {
        if (down) {
            down = false;
            stored.clear(); // it may have restarted empty
            metrics.sharedAvailable(true);
            LOG.info("shared prompt cache {} reachable again", store.describe());
        }
    }
}
