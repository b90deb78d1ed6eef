package dev.kvasir.server;

import dev.kvasir.KvasirException;
import java.nio.file.Path;

/**
 * How {@code kvasir serve} runs.
 *
 * @param model     GGUF model file
 * @param host      address to listen on (loopback by default: the API has no TLS)
 * @param port      0 picks a free port
 * @param apiKey    required as {@code Authorization: Bearer KEY} when not null
 * @param cacheDir  where evicted prompt caches and sessions live as .kvc files; null keeps caches in RAM only
 * @param cacheRam  bytes of KV caches kept in RAM (LRU)
 * @param cacheDisk bytes of .kvc files kept in {@code cacheDir} (LRU; sessions are not counted)
 * @param parallel  requests generating at once
 * @param queue     requests allowed to wait for a slot; more are refused with 503
 * @param maxBody   largest accepted request body in bytes
 * @param chatTemplate a Jinja2 chat template file used instead of the model's own; null: the model's (else ChatML)
 */
public record ServerConfig(Path model, String host, int port, String apiKey, Path cacheDir, long cacheRam,
                           long cacheDisk, int parallel, int queue, long maxBody, Path chatTemplate) {
    public static final long DEFAULT_CACHE_RAM = 512L << 20;
    public static final long DEFAULT_CACHE_DISK = 4L << 30;
    public static final long DEFAULT_MAX_BODY = 8L << 20;

    public ServerConfig {
        require(port >= 0 && port <= 65535, "--port must be 0..65535, got " + port);
        require(parallel >= 1, "--parallel must be at least 1, got " + parallel);
        require(queue >= 0, "--queue must be >= 0, got " + queue);
        require(cacheRam >= 0, "--cache-ram must be >= 0 bytes, got " + cacheRam);
        require(cacheDisk >= 0, "--cache-disk must be >= 0 bytes, got " + cacheDisk);
        require(maxBody > 0, "the request body limit must be > 0 bytes, got " + maxBody);
        require(apiKey == null || !apiKey.isBlank(), "--api-key must not be empty");
    }

    /** Without a chat template file: the model's own template is used. */
    public ServerConfig(Path model, String host, int port, String apiKey, Path cacheDir, long cacheRam, long cacheDisk,
                        int parallel, int queue, long maxBody) {
        this(model, host, port, apiKey, cacheDir, cacheRam, cacheDisk, parallel, queue, maxBody, null);
    }

    /** Defaults for everything but the model: loopback, port 8080, no key, RAM cache only, one request at a time. */
    public static ServerConfig of(Path model) {
        return new ServerConfig(model, "127.0.0.1", 8080, null, null, DEFAULT_CACHE_RAM, DEFAULT_CACHE_DISK, 1, 16,
                DEFAULT_MAX_BODY);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(model, host, p, apiKey, cacheDir, cacheRam, cacheDisk, parallel, queue, maxBody, chatTemplate);
    }

    public ServerConfig withApiKey(String key) {
        return new ServerConfig(model, host, port, key, cacheDir, cacheRam, cacheDisk, parallel, queue, maxBody, chatTemplate);
    }

    public ServerConfig withCache(Path dir, long ram, long disk) {
        return new ServerConfig(model, host, port, apiKey, dir, ram, disk, parallel, queue, maxBody, chatTemplate);
    }

    public ServerConfig withParallel(int n, int queued) {
        return new ServerConfig(model, host, port, apiKey, cacheDir, cacheRam, cacheDisk, n, queued, maxBody, chatTemplate);
    }

    public ServerConfig withMaxBody(long bytes) {
        return new ServerConfig(model, host, port, apiKey, cacheDir, cacheRam, cacheDisk, parallel, queue, bytes, chatTemplate);
    }

    public ServerConfig withChatTemplate(Path file) {
        return new ServerConfig(model, host, port, apiKey, cacheDir, cacheRam, cacheDisk, parallel, queue, maxBody, file);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new KvasirException(message);
        }
    }
}
