package dev.kvasir.server;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.cache.PromptCache;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reuse of computed prompts across requests: finished sequences (prompt + answer) are indexed in a
 * {@link TokenTrie}; a new request starts from a fork of the entry sharing its longest prefix,
 * trimmed to that prefix. Entries live in RAM within {@code ramBudget} bytes (LRU, refreshed on use)
 * and are written behind to a {@link PersistentTier} within {@code storeBudget} bytes (LRU): a
 * background thread stores each new entry {@link #WRITE_DELAY_NANOS} after its request finished, so
 * a killed server loses at most the last moments, and a later RAM eviction costs nothing. The index
 * is rebuilt from the tier on start. One lock guards the index; forward passes and writes run outside
 * it on forks.
 */
final class PrefixCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrefixCache.class);
    /**
     * How long a new entry waits before it is written: a conversation's next turn often replaces it
     * sooner (the entry it extends is dropped), and then it is never written at all.
     */
    static final long WRITE_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** A cache to continue from: it already holds {@code reused} leading tokens of the prompt, served by {@code tier}. */
    record Lease(PromptCache cache, int reused, String tier) {
    }

    /** One write-behind save: a fork of {@code entry} to store under {@code key}, {@code reserved} bytes counted. */
    private record Write(CacheEntry entry, String key, PromptCache copy, long reserved) {
    }

    private final ModelIdentity model;
    private final TokenTrie<CacheEntry> index = new TokenTrie<>();
    private final Set<CacheEntry> entries = new HashSet<>();
    private final PersistentTier store; // null: RAM only
    private final long ramBudget;
    private final long storeBudget;
    private final ServerMetrics metrics;
    private final SharedTier shared; // null: no --cache-redis
    private final ArrayDeque<CacheEntry> toWrite = new ArrayDeque<>(); // in due order: the delay is constant
    private final Thread writer;
    private long ramBytes;
    private long storeBytes; // stored, retired and reserved for writes in progress
    private long clock;
    private boolean closed;

    PrefixCache(ModelIdentity model, PersistentTier store, long ramBudget, long storeBudget, ServerMetrics metrics,
                SharedTier shared) {
        this.model = model;
        this.shared = shared;
        this.store = store;
        this.ramBudget = ramBudget;
        this.storeBudget = store == null ? 0 : storeBudget;
        this.metrics = metrics;
        if (store != null) {
            rebuild();
            writer = Thread.ofPlatform().daemon().name("kvasir-cache-writer").start(this::writeBehind);
        } else {
            writer = null;
        }
        publish();
    }

    PromptCache fresh() {
        return PromptCache.create(model, CacheOptions.full());
    }

    /**
     * A cache holding the longest cached prefix of {@code prompt} (never all of it: the last token
     * must be computed): from RAM or disk, then extended from the shared tier, outside the lock.
     */
    Lease checkout(int[] prompt) {
        Lease lease = local(prompt);
        if (shared != null) {
            lease = shared.extend(lease, prompt);
        }
        metrics.hit(lease.tier(), lease.reused());
        return lease;
    }

    SharedTier shared() {
        return shared;
    }

    private synchronized Lease local(int[] prompt) {
        TokenTrie.Match<CacheEntry> m = index.longest(prompt);
        int reuse = m == null ? 0 : Math.min(m.length(), prompt.length - 1);
        if (reuse <= 0) {
            return new Lease(fresh(), 0, "none");
        }
        CacheEntry e = m.value();
        String tier = e.inRam() ? "ram" : "disk";
        PromptCache pc = open(e);
        if (pc == null) {
            return new Lease(fresh(), 0, "none");
        }
        int extra = pc.size() - reuse;
        if (pc.trim(extra) != extra) {
            return new Lease(fresh(), 0, "none");
        }
        touch(e);
        return new Lease(pc, pc.size(), tier);
    }

    /** Indexes a finished sequence and queues it for writing; entries it extends are replaced (it covers them). */
    synchronized void checkin(PromptCache pc) {
        if (pc.size() == 0) {
            return;
        }
        int[] tokens = pc.tokens();
        CacheEntry e = new CacheEntry(tokens);
        for (CacheEntry covered : index.prefixesOf(tokens)) {
            replace(covered, e);
        }
        e.ram = pc;
        e.ramBytes = pc.cache().bytes();
        ramBytes += e.ramBytes;
        index.put(tokens, e);
        entries.add(e);
        touch(e);
        if (shared != null) {
            shared.publish(pc); // before the RAM budget may drop it
        }
        if (e.stored()) {
            releaseRetired(e); // it took over the stored copy of the same sequence
        } else if (store != null) {
            e.dueNanos = System.nanoTime() + WRITE_DELAY_NANOS;
            toWrite.add(e);
            notifyAll();
        }
        enforceRam();
        publish();
    }

    synchronized long ramBytes() {
        return ramBytes;
    }

    synchronized long storedBytes() {
        return storeBytes;
    }

    synchronized int entryCount() {
        return entries.size();
    }

    /** Stops the writer (after its save in progress), then stores every RAM-only entry (within the budget). */
    @Override
    public void close() {
        if (shared != null) {
            shared.close();
        }
        if (store == null) {
            return;
        }
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            List<CacheEntry> newestFirst = new ArrayList<>(entries);
            newestFirst.sort(Comparator.comparingLong((CacheEntry e) -> e.lastUsed).reversed());
            for (CacheEntry e : newestFirst) {
                if (e.inRam() && !e.stored()) {
                    storeNow(e, e.ram);
                }
            }
            publish();
        }
    }

    private PromptCache open(CacheEntry e) {
        if (e.inRam()) {
            return e.ram.fork();
        }
        if (!e.stored()) {
            return null; // evicted from RAM while its write is in progress: a miss this once
        }
        try {
            PromptCache loaded = store.load(e.key);
            if (loaded.size() != e.tokens.length) {
                throw new KvasirException("holds " + loaded.size() + " tokens, the index expected " + e.tokens.length);
            }
            e.ram = loaded; // back in RAM; the stored copy stays, so evicting it again writes nothing
            e.ramBytes = loaded.cache().bytes();
            ramBytes += e.ramBytes;
            metrics.promotion();
            PromptCache fork = loaded.fork();
            enforceRam();
            return fork;
        } catch (KvasirException ex) {
            LOG.warn("{} entry {}: dropped from the prompt cache: {}", store.name(), e.key, ex.getMessage());
            drop(e);
            return null;
        }
    }

    private void touch(CacheEntry e) {
        e.lastUsed = ++clock;
    }

    private void enforceRam() {
        while (ramBytes > ramBudget) {
            CacheEntry victim = oldest(CacheEntry::inRam);
            if (victim == null) {
                break;
            }
            ramBytes -= victim.ramBytes;
            PromptCache pc = victim.ram;
            victim.ram = null;
            victim.ramBytes = 0;
            metrics.eviction("ram");
            if (victim.stored() || victim.writing) {
                continue; // stored already, or about to be
            }
            if (store == null || !storeNow(victim, pc)) {
                forget(victim);
            }
        }
        publish();
    }

    /** The write-behind thread: stores queued entries once due, one at a time, each outside the lock. */
    private void writeBehind() {
        try {
            for (Write w; (w = nextWrite()) != null; ) {
                long bytes = -1;
                try {
                    bytes = store.save(w.key(), w.copy());
                } catch (RuntimeException ex) { // any failure: the writer must live on, or no entry is written again
                    LOG.warn("prompt cache entry of {} tokens not written: {}", w.entry().tokens.length, ex.toString());
                }
                finish(w, bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // only close() stops the writer; an interrupt ends it early
        }
    }

    /** Waits for the next due entry that still needs writing and reserves its budget; null once closed. */
    private synchronized Write nextWrite() throws InterruptedException {
        while (!closed) {
            CacheEntry e = toWrite.peek();
            if (e == null) {
                wait();
                continue;
            }
            long wait = e.dueNanos - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, wait);
                continue;
            }
            toWrite.poll();
            if (!entries.contains(e) || !e.inRam() || e.stored() || e.writing) {
                continue; // replaced, evicted (and stored then) or stored meanwhile
            }
            long need = store.estimate(e.ram);
            if (!makeRoom(e, need)) {
                continue;
            }
            storeBytes += need;
            e.writing = true;
            return new Write(e, store.keyFor(e.tokens), e.ram.fork(), need);
        }
        return null;
    }

    private synchronized void finish(Write w, long bytes) {
        CacheEntry e = w.entry();
        e.writing = false;
        storeBytes -= w.reserved();
        if (bytes >= 0) {
            storeBytes += bytes;
            if (bytes > w.reserved()) {
                LOG.warn("prompt cache entry {}: {} bytes, more than the estimated {}", w.key(), bytes, w.reserved());
            }
            CacheEntry owner = entries.contains(e) ? e : e.supersededBy;
            if (owner != null && entries.contains(owner) && !owner.stored() && Arrays.equals(owner.tokens, e.tokens)) {
                stored(owner, w.key(), bytes);
            } else if (owner != null && entries.contains(owner) && !owner.stored()) {
                owner.retired.add(new CacheEntry.Retired(w.key(), bytes)); // kept until the longer one is stored
            } else {
                if (owner == null || !w.key().equals(owner.key)) { // else the owner stored the same key itself
                    store.delete(w.key());
                }
                storeBytes -= bytes;
            }
        }
        if (entries.contains(e) && !e.inRam() && !e.stored()) {
            forget(e); // evicted from RAM during a write that failed
        }
        publish();
    }

    /** Saves synchronously (RAM eviction of an entry not yet written, shutdown); false when it does not fit or fails. */
    private boolean storeNow(CacheEntry e, PromptCache pc) {
        long need = store.estimate(pc);
        if (!makeRoom(e, need)) {
            return false;
        }
        String key = store.keyFor(e.tokens);
        try {
            long bytes = store.save(key, pc.fork()); // a fork: the entry's own cache stays unattached to any file
            storeBytes += bytes;
            if (bytes > need) {
                LOG.warn("prompt cache entry {}: {} bytes, more than the estimated {}", key, bytes, need);
            }
            stored(e, key, bytes);
            return true;
        } catch (KvasirException ex) {
            LOG.warn("prompt cache entry of {} tokens not written: {}", e.tokens.length, ex.getMessage());
            return false;
        }
    }

    private void stored(CacheEntry e, String key, long bytes) {
        e.key = key;
        e.storedBytes = bytes;
        releaseRetired(e);
    }

    /** Frees {@code need} bytes of the store budget: oldest entries' copies first, then replaced copies. */
    private boolean makeRoom(CacheEntry e, long need) {
        if (need > storeBudget) {
            return false;
        }
        while (storeBytes + need > storeBudget) {
            CacheEntry victim = oldest(x -> x.stored() && x != e);
            if (victim != null) {
                evictStored(victim);
                continue;
            }
            CacheEntry holder = oldest(x -> !x.retired.isEmpty());
            if (holder == null) {
                return false; // the rest is reserved by a write in progress
            }
            deleteRetired(holder, holder.retired.removeFirst());
        }
        return true;
    }

    private void evictStored(CacheEntry victim) {
        store.delete(victim.key);
        storeBytes -= victim.storedBytes;
        victim.key = null;
        victim.storedBytes = 0;
        metrics.eviction(store.name());
        if (!victim.inRam() && !victim.writing) {
            forget(victim);
        }
    }

    private CacheEntry oldest(Predicate<CacheEntry> filter) {
        CacheEntry best = null;
        for (CacheEntry e : entries) {
            if (filter.test(e) && (best == null || e.lastUsed < best.lastUsed)) {
                best = e;
            }
        }
        return best;
    }

    /**
     * {@code covered} is a prefix of (or equal to) the new entry {@code by}: it leaves the index, but its
     * stored copy is kept until {@code by} is stored, so a kill before that still finds one of them.
     */
    private void replace(CacheEntry covered, CacheEntry by) {
        if (covered.inRam()) {
            ramBytes -= covered.ramBytes;
            covered.ram = null;
        }
        if (covered.stored() && Arrays.equals(covered.tokens, by.tokens)) {
            by.key = covered.key; // the same sequence again: its stored copy is the new entry's
            by.storedBytes = covered.storedBytes;
        } else if (covered.stored()) {
            by.retired.add(new CacheEntry.Retired(covered.key, covered.storedBytes));
        }
        covered.key = null;
        by.retired.addAll(covered.retired);
        covered.retired.clear();
        if (covered.writing) {
            covered.supersededBy = by;
        }
        forget(covered);
    }

    /** Removes an entry from both tiers. */
    private void drop(CacheEntry e) {
        if (e.inRam()) {
            ramBytes -= e.ramBytes;
            e.ram = null;
        }
        if (e.stored()) {
            store.delete(e.key);
            storeBytes -= e.storedBytes;
            e.key = null;
        }
        forget(e);
    }

    private void forget(CacheEntry e) {
        index.remove(e.tokens);
        entries.remove(e);
        releaseRetired(e);
    }

    private void releaseRetired(CacheEntry e) {
        while (!e.retired.isEmpty()) {
            deleteRetired(e, e.retired.removeFirst());
        }
    }

    private void deleteRetired(CacheEntry holder, CacheEntry.Retired r) {
        if (!r.key().equals(holder.key)) { // the same key was overwritten by the holder's own copy
            store.delete(r.key());
        }
        storeBytes -= r.bytes();
    }

    private void rebuild() {
        List<PersistentTier.Stored> stored = new ArrayList<>(store.scan());
        stored.sort(Comparator.comparingLong(PersistentTier.Stored::modifiedMillis));
        for (PersistentTier.Stored s : stored) {
            CacheEntry e = new CacheEntry(s.tokens());
            e.key = s.key();
            e.storedBytes = s.bytes();
            if (e.tokens.length == 0 || index.prefixesOf(e.tokens).stream().anyMatch(x -> x.tokens.length == e.tokens.length)) {
                store.delete(s.key()); // empty, or the same sequence twice (a copied file)
                continue;
            }
            index.put(e.tokens, e);
            entries.add(e);
            storeBytes += e.storedBytes;
            touch(e);
        }
        while (storeBytes > storeBudget) { // the budget may have shrunk since the last run
            evictStored(oldest(CacheEntry::stored));
        }
        LOG.info("prompt cache: {} entries ({} bytes) found in the {} tier", entries.size(), storeBytes, store.name());
    }

    private void publish() {
        metrics.cacheBytes(ramBytes, storeBytes);
    }
}
