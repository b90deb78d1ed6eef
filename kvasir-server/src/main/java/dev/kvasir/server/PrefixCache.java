package dev.kvasir.server;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.cache.PromptCache;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reuse of computed prompts across requests: finished sequences (prompt + answer) are indexed in a
 * {@link TokenTrie}; a new request starts from a fork of the entry sharing its longest prefix,
 * trimmed to that prefix. Entries live in RAM within {@code ramBudget} bytes (LRU, refreshed on use),
 * then on disk within {@code diskBudget} bytes (LRU), and the disk index is rebuilt on start.
 * One lock guards everything; the forward passes run outside it on forks.
 */
final class PrefixCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrefixCache.class);

    /** A cache to continue from: it already holds {@code reused} leading tokens of the prompt, served by {@code tier}. */
    record Lease(PromptCache cache, int reused, String tier) {
    }

    private final ModelIdentity model;
    private final TokenTrie<CacheEntry> index = new TokenTrie<>();
    private final Set<CacheEntry> entries = new HashSet<>();
    private final DiskTier disk; // null: RAM only
    private final long ramBudget;
    private final long diskBudget;
    private final ServerMetrics metrics;
    private final SharedTier shared; // null: no --cache-redis
    private long ramBytes;
    private long diskBytes;
    private long clock;

    PrefixCache(ModelIdentity model, DiskTier disk, long ramBudget, long diskBudget, ServerMetrics metrics, SharedTier shared) {
        this.model = model;
        this.shared = shared;
        this.disk = disk;
        this.ramBudget = ramBudget;
        this.diskBudget = disk == null ? 0 : diskBudget;
        this.metrics = metrics;
        if (disk != null) {
            rebuild();
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

    /** Indexes a finished sequence; entries it extends are dropped (it covers them). */
    synchronized void checkin(PromptCache pc) {
        if (pc.size() == 0) {
            return;
        }
        int[] tokens = pc.tokens();
        for (CacheEntry covered : index.prefixesOf(tokens)) {
            drop(covered);
        }
        CacheEntry e = new CacheEntry(tokens);
        e.ram = pc;
        e.ramBytes = pc.cache().bytes();
        ramBytes += e.ramBytes;
        index.put(tokens, e);
        entries.add(e);
        touch(e);
        if (shared != null) {
            shared.publish(pc); // before the RAM budget may drop it
        }
        enforceRam();
        publish();
    }

    synchronized long ramBytes() {
        return ramBytes;
    }

    synchronized long diskBytes() {
        return diskBytes;
    }

    synchronized int entryCount() {
        return entries.size();
    }

    /** Writes every RAM-only entry to disk (within the budget), so a restart finds them. */
    @Override
    public synchronized void close() {
        if (shared != null) {
            shared.close();
        }
        if (disk == null) {
            return;
        }
        List<CacheEntry> newestFirst = new ArrayList<>(entries);
        newestFirst.sort(Comparator.comparingLong((CacheEntry e) -> e.lastUsed).reversed());
        for (CacheEntry e : newestFirst) {
            if (e.inRam() && !e.onDisk()) {
                spill(e);
            }
        }
        publish();
    }

    private PromptCache open(CacheEntry e) {
        if (e.inRam()) {
            return e.ram.fork();
        }
        try {
            PromptCache loaded = disk.load(e.file);
            if (loaded.size() != e.tokens.length) {
                throw new KvasirException(e.file + ": holds " + loaded.size() + " tokens, the index expected " + e.tokens.length);
            }
            e.ram = loaded; // back in RAM; the file stays, so evicting it again writes nothing
            e.ramBytes = loaded.cache().bytes();
            ramBytes += e.ramBytes;
            metrics.promotion();
            PromptCache fork = loaded.fork();
            enforceRam();
            return fork;
        } catch (KvasirException ex) {
            LOG.warn("{}: dropped from the prompt cache: {}", e.file, ex.getMessage());
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
            if (!victim.onDisk() && (disk == null || !spillCache(victim, pc))) {
                forget(victim);
            }
        }
        publish();
    }

    private void spill(CacheEntry e) {
        spillCache(e, e.ram);
    }

    /** Saves to disk within the budget, evicting older files first; false when it does not fit. */
    private boolean spillCache(CacheEntry e, PromptCache pc) {
        long need = DiskTier.estimate(pc);
        if (need > diskBudget) {
            return false;
        }
        while (diskBytes + need > diskBudget) {
            CacheEntry victim = oldest(x -> x.onDisk() && x != e);
            if (victim == null) {
                return false;
            }
            evictFile(victim);
        }
        try {
            e.file = disk.fileFor(e.tokens);
            e.diskBytes = disk.save(pc, e.file);
            diskBytes += e.diskBytes;
            if (e.diskBytes > need) {
                LOG.warn("{}: {} bytes, more than the estimated {}", e.file, e.diskBytes, need);
            }
            return true;
        } catch (KvasirException ex) {
            LOG.warn("prompt cache entry of {} tokens not saved: {}", e.tokens.length, ex.getMessage());
            disk.delete(e.file);
            e.file = null;
            e.diskBytes = 0;
            return false;
        }
    }

    private void evictFile(CacheEntry victim) {
        disk.delete(victim.file);
        diskBytes -= victim.diskBytes;
        victim.file = null;
        victim.diskBytes = 0;
        metrics.eviction("disk");
        if (!victim.inRam()) {
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

    /** Removes an entry from both tiers. */
    private void drop(CacheEntry e) {
        if (e.inRam()) {
            ramBytes -= e.ramBytes;
            e.ram = null;
        }
        if (e.onDisk()) {
            disk.delete(e.file);
            diskBytes -= e.diskBytes;
            e.file = null;
        }
        forget(e);
    }

    private void forget(CacheEntry e) {
        index.remove(e.tokens);
        entries.remove(e);
    }

    private void rebuild() {
        List<DiskTier.Stored> stored = new ArrayList<>(disk.scan());
        stored.sort(Comparator.comparingLong(DiskTier.Stored::modifiedMillis));
        for (DiskTier.Stored s : stored) {
            CacheEntry e = new CacheEntry(s.cache().tokens());
            e.file = s.file();
            e.diskBytes = s.bytes();
            if (e.tokens.length == 0 || index.prefixesOf(e.tokens).stream().anyMatch(x -> x.tokens.length == e.tokens.length)) {
                disk.delete(s.file()); // empty, or the same sequence twice (a copied file)
                continue;
            }
            index.put(e.tokens, e);
            entries.add(e);
            diskBytes += e.diskBytes;
            touch(e);
        }
        while (diskBytes > diskBudget) { // the budget may have shrunk since the last run
            evictFile(oldest(CacheEntry::onDisk));
        }
        LOG.info("prompt cache: {} entries ({} bytes) found in {}", entries.size(), diskBytes, "--cache-dir");
    }

    private void publish() {
        metrics.cacheBytes(ramBytes, diskBytes);
    }
}
