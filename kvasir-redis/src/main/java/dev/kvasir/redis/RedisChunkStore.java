package dev.kvasir.redis;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.ChunkStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * A {@link ChunkStore} in Redis (or Valkey: same protocol), through a Jedis connection pool.
 * Every call has a deadline (connect and socket timeouts, a bounded wait for a pooled connection),
 * so a slow or dead Redis costs a request at most about a second before the caller falls back to
 * recomputing; a broken connection is replaced on the next call, which is the reconnect. Eviction
 * is Redis' own ({@code maxmemory-policy allkeys-lru}); an evicted key is a miss.
 */
public final class RedisChunkStore implements ChunkStore {
    /** Redis' limit on one value ({@code proto-max-bulk-len} default). */
    public static final long MAX_VALUE_BYTES = 512L << 20;

    private final RedisClient client;
    private final String where;

    private RedisChunkStore(RedisClient client, String where) {
        this.client = client;
        this.where = where;
    }

    /**
     * Connects lazily to {@code redis://[user:pass@]host:port[/db]} ({@code rediss://} for TLS).
     * A malformed URI is a {@link KvasirException} naming it; an unreachable server is not an error here.
     */
    public static RedisChunkStore open(String uri, Duration timeout) {
        URI u;
        try {
            u = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw invalid(uri, e.getMessage());
        }
        if (!JedisURIHelper.isValid(u) || u.getPort() <= 0) {
            throw invalid(uri, "expected redis://[user:pass@]host:port[/db] or rediss://...");
        }
        int ms = Math.toIntExact(timeout.toMillis());
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(ms)
                .socketTimeoutMillis(ms)
                .clientName("kvasir")
                .ssl("rediss".equals(u.getScheme()))
                .user(JedisURIHelper.getUser(u))
                .password(JedisURIHelper.getPassword(u));
        if (JedisURIHelper.hasDbIndex(u)) {
            config.database(JedisURIHelper.getDBIndex(u));
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(16);
        pool.setMaxWait(timeout); // a pool exhausted by hung calls fails fast too
        pool.setTestOnBorrow(false);
        HostAndPort hp = JedisURIHelper.getHostAndPort(u);
        RedisClient client = RedisClient.builder().hostAndPort(hp).clientConfig(config.build()).poolConfig(pool).build();
        return new RedisChunkStore(client, u.getScheme() + "://" + hp + (JedisURIHelper.hasDbIndex(u) ? "/" + JedisURIHelper.getDBIndex(u) : ""));
    }

    private static KvasirException invalid(String uri, String why) {
        return new KvasirException("--cache-redis " + redact(uri) + " is not a Redis URI (" + why + ")");
    }

    /** The URI without its password, for messages. */
    static String redact(String uri) {
        return uri.replaceAll("(//[^:/@]*:)[^@/]*@", "$1***@");
    }

    @Override
    public List<byte[]> get(List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        byte[][] k = new byte[keys.size()][];
        for (int i = 0; i < k.length; i++) {
            k[i] = bytes(keys.get(i));
        }
        return call(() -> client.mget(k));
    }

    @Override
    public void put(String key, byte[] value) {
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException(value.length + " bytes exceed Redis' value limit; use a smaller --cache-chunk");
        }
        call(() -> client.set(bytes(key), value));
    }

    @Override
    public void delete(String key) {
        call(() -> client.del(key));
    }

    @Override
    public void addMember(String key, String member) {
        call(() -> client.sadd(key, member));
    }

    @Override
    public Set<String> members(String key) {
        return new HashSet<>(call(() -> client.smembers(key)));
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void close() {
        client.close();
    }

    private <T> T call(Supplier<T> op) {
        try {
            return op.get();
        } catch (JedisException e) {
            throw new Unavailable(where + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
