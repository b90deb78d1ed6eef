package dev.kvasir.server;

import dev.kvasir.KvasirException;
import java.time.Duration;

/**
 * The shared prompt-cache tier ({@code kvasir serve --cache-redis URI --cache-chunk N}).
 *
 * @param redisUri    {@code redis://[user:pass@]host:port[/db]}, {@code rediss://} for TLS
 * @param chunkTokens tokens per KV chunk: the granularity at which servers share prefixes
 * @param timeout     deadline of one Redis call (connect, read, waiting for a pooled connection)
 */
public record SharedCacheConfig(String redisUri, int chunkTokens, Duration timeout) {
    public static final int DEFAULT_CHUNK = 256;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(1000);

    public SharedCacheConfig {
        if (chunkTokens < 1 || chunkTokens > 1 << 16) {
            throw new KvasirException("--cache-chunk must be 1..65536 tokens, got " + chunkTokens);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new KvasirException("the Redis timeout must be positive, got " + timeout);
        }
    }

    public static SharedCacheConfig redis(String uri, int chunkTokens) {
        return new SharedCacheConfig(uri, chunkTokens, DEFAULT_TIMEOUT);
    }
}
