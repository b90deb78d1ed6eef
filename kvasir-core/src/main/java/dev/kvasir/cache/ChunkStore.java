package dev.kvasir.cache;

import java.util.List;
import java.util.Set;

/**
 * A shared byte store for KV chunks and session records (e.g. Redis, module {@code kvasir-redis}).
 * It is a cache, not a database: any key may vanish (eviction), and every call may fail with
 * {@link Unavailable}; callers treat both as a miss and recompute.
 */
public interface ChunkStore extends AutoCloseable {

    /** The values of {@code keys} in order, null where a key is missing. */
    List<byte[]> get(List<String> keys);

    void put(String key, byte[] value);

    void delete(String key);

    /** Adds {@code member} to the set stored at {@code key}. */
    void addMember(String key, String member);

    /** The members of the set at {@code key}; empty when there is none. */
    Set<String> members(String key);

    /** Where the store is, for log lines (no credentials). */
    String describe();

    @Override
    void close();

    /** The store could not be reached or did not answer in time. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
