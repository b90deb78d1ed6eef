package dev.kvasir.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kvasir.KvasirException;
import dev.kvasir.cache.ChunkStore;
import dev.kvasir.cache.KvChunks;
import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.generate.Generator;
import dev.kvasir.redis.RedisChunkStore;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible HTTP server: Helidon SE on virtual threads in front of one {@link Engine}.
 * Every failure reaches the client as OpenAI's error object; user input never produces a 500.
 */
public final class KvasirServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KvasirServer.class);

    private final ServerConfig config;
    private final Engine engine;
    private final ServerMetrics metrics;
    private final Admission admission;
    private final WebServer web;
    private final long created = System.currentTimeMillis() / 1000;

    private KvasirServer(ServerConfig config, Engine engine, ServerMetrics metrics) {
        this.config = config;
        this.engine = engine;
        this.metrics = metrics;
        this.admission = new Admission(config.parallel(), config.queue());
        CompletionHandler completions = new CompletionHandler(engine, admission, config.maxBody());
        SessionHandler sessions = new SessionHandler(engine, admission, config.cacheDir(), config.maxBody());
        this.web = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false)
                .routing(r -> routes(r, completions, sessions))
                .build();
    }

    /** Loads the model, rebuilds the prompt cache index and starts listening. */
    public static KvasirServer start(ServerConfig config) {
        return start(config, null);
    }

    /** As {@link #start(ServerConfig)}, with a shared Redis tier behind RAM and disk when {@code shared} is not null. */
    public static KvasirServer start(ServerConfig config, SharedCacheConfig shared) {
        ServerMetrics metrics = new ServerMetrics();
        ChunkStore store = shared == null ? null : RedisChunkStore.open(shared.redisUri(), shared.timeout());
        Generator generator;
        Engine engine;
        try {
            generator = Generator.load(config.model());
        } catch (RuntimeException e) {
            closeQuietly(store);
            throw e;
        }
        try {
            engine = new Engine(generator, modelId(config), config.chatTemplate(), id -> new PrefixCache(id,
                    config.cacheDir() == null ? null : new DiskTier(config.cacheDir(), id),
                    config.cacheRam(), config.cacheDisk(), metrics, sharedTier(store, shared, id, metrics)), metrics);
        } catch (RuntimeException e) {
            generator.close();
            closeQuietly(store);
            throw e;
        }
        KvasirServer server = new KvasirServer(config, engine, metrics);
        server.web.start();
        LOG.info("serving {} on http://{}:{}/v1", engine.modelId(), config.host(), server.port());
        return server;
    }

    private static SharedTier sharedTier(ChunkStore store, SharedCacheConfig shared, ModelIdentity id, ServerMetrics metrics) {
        if (store == null) {
            return null;
        }
        long chunkBytes = KvChunks.maxBytes(id.layout(), shared.chunkTokens());
        if (chunkBytes > RedisChunkStore.MAX_VALUE_BYTES) {
            long perToken = Math.max(1, chunkBytes / shared.chunkTokens());
            throw new KvasirException("--cache-chunk " + shared.chunkTokens() + " makes KV chunks of up to " + chunkBytes
                    + " bytes for this model, over Redis' 512 MiB value limit; use at most " + RedisChunkStore.MAX_VALUE_BYTES / perToken);
        }
        LOG.info("shared prompt cache: {} ({}-token chunks)", store.describe(), shared.chunkTokens());
        return new SharedTier(store, id, shared.chunkTokens(), metrics);
    }

    private static void closeQuietly(ChunkStore store) {
        if (store != null) {
            store.close();
        }
    }

    public int port() {
        return web.port();
    }

    public String modelId() {
        return engine.modelId();
    }

    private void routes(HttpRouting.Builder r, CompletionHandler completions, SessionHandler sessions) {
        r.addFilter(this::filter)
                .error(ApiException.class, KvasirServer::apiError)
                .error(RuntimeException.class, KvasirServer::internalError)
                .get("/health", this::health)
                .get("/metrics", this::metricsPage)
                .get("/v1/models", this::models)
                .post("/v1/chat/completions", completions::chat)
                .post("/v1/completions", completions::completion)
                .post("/v1/sessions/{name}/restore", sessions::restore)
                .post("/v1/sessions/{name}", sessions::save)
                .get("/v1/sessions/{name}", sessions::inspect)
                .delete("/v1/sessions/{name}", sessions::delete)
                .any((req, res) -> {
                    throw ApiException.notFound("no endpoint " + req.prologue().method().text() + " " + req.path().path()
                            + "; see /v1/chat/completions, /v1/completions, /v1/models, /health, /metrics");
                });
    }

    /** API key check and request metrics around every route. */
    private void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String endpoint = endpoint(req.path().path());
        res.whenSent(() -> metrics.request(endpoint, res.status().code()));
        if (config.apiKey() != null && !endpoint.equals("/health") && !authorized(req)) {
            throw ApiException.unauthorized();
        }
        chain.proceed();
    }

    private static void apiError(ServerRequest req, ServerResponse res, ApiException e) {
        if (!res.isSent()) {
            HttpIo.error(res, e);
        }
    }

    private static void internalError(ServerRequest req, ServerResponse res, RuntimeException e) {
        LOG.error("{} {} failed", req.prologue().method().text(), req.path().path(), e);
        if (!res.isSent()) {
            HttpIo.error(res, new ApiException(500, "server_error", "internal_error", null,
                    "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private boolean authorized(ServerRequest req) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        String expected = "Bearer " + config.apiKey();
        return MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String endpoint(String path) {
        return switch (path) {
            case "/health", "/metrics", "/v1/models", "/v1/chat/completions", "/v1/completions" -> path;
            default -> path.startsWith("/v1/sessions/") ? "/v1/sessions" : "other";
        };
    }

    private void health(ServerRequest req, ServerResponse res) {
        ObjectNode body = Fields.MAPPER.createObjectNode();
        body.put("status", "ok");
        body.put("model", engine.modelId());
        body.put("requests_running", admission.running());
        body.put("requests_waiting", admission.waiting());
        body.put("cache_entries", engine.cache().entryCount());
        HttpIo.json(res, 200, body);
    }

    private void metricsPage(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private void models(ServerRequest req, ServerResponse res) {
        ObjectNode body = Fields.MAPPER.createObjectNode();
        body.put("object", "list");
        ObjectNode m = body.putArray("data").addObject();
        m.put("id", engine.modelId());
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "kvasir");
        HttpIo.json(res, 200, body);
    }

    private static String modelId(ServerConfig config) {
        String name = config.model().getFileName().toString();
        return name.endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
    }

    /** Stops listening, then writes RAM-only prompt caches to disk (when a cache dir is set) and unmaps the model. */
    @Override
    public void close() {
        web.stop();
        engine.close();
    }
}
