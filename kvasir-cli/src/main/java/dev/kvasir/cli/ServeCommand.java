package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.server.KvasirServer;
import dev.kvasir.server.ServerConfig;
import dev.kvasir.server.SharedCacheConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kvasir serve}: the OpenAI-compatible HTTP server, until interrupted (Ctrl-C saves the prompt caches). */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve the model over an OpenAI-compatible HTTP API (/v1/chat/completions, /v1/completions, "
                + "/v1/models, /health, /metrics).")
final class ServeCommand implements Callable<Integer> {
    private final CliIo io;

    @Mixin
    CommonOptions common;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Require 'Authorization: Bearer KEY' (except on /health).")
    String apiKey;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Keep evicted prompt caches as .kvc files here; reused after a restart.")
    Path cacheDir;

    @Option(names = "--cache-ram", paramLabel = "BYTES", defaultValue = "512M", description = "RAM for prompt caches (default: ${DEFAULT-VALUE}).")
    String cacheRam;

    @Option(names = "--cache-disk", paramLabel = "BYTES", defaultValue = "4G", description = "Disk for prompt caches in --cache-dir (default: ${DEFAULT-VALUE}).")
    String cacheDisk;

    @Option(names = "--cache-redis", paramLabel = "URI", description = "Share prompt caches with other servers through Redis: "
            + "redis://[user:pass@]host:port[/db], rediss:// for TLS (run Redis with maxmemory-policy allkeys-lru).")
    String cacheRedis;

    @Option(names = "--cache-chunk", paramLabel = "TOKENS", description = "Tokens per shared KV chunk (default: 256; needs --cache-redis).")
    Integer cacheChunk;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1", description = "Requests generating at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "16", description = "Requests waiting for a slot before 503s (default: ${DEFAULT-VALUE}).")
    int queue;

    @Mixin
    ChatTemplateOption chatTemplate;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    ServeCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() throws InterruptedException {
        long ram = ByteSize.parse("--cache-ram", cacheRam);
        long disk = ByteSize.parse("--cache-disk", cacheDisk);
        Threads.configure(threads);
        ServerConfig config = new ServerConfig(ModelLocator.locate(common.model, io), host, port, apiKey,
                cacheDir == null ? null : io.workingDir().resolve(cacheDir), ram, disk, parallel, queue,
                ServerConfig.DEFAULT_MAX_BODY).withChatTemplate(chatTemplate.resolve(io));
        if (cacheChunk != null && cacheRedis == null) {
            throw new KvasirException("--cache-chunk sets the chunks of the shared tier: add --cache-redis URI, or drop --cache-chunk");
        }
        SharedCacheConfig shared = cacheRedis == null ? null
                : SharedCacheConfig.redis(cacheRedis, cacheChunk == null ? SharedCacheConfig.DEFAULT_CHUNK : cacheChunk);
        KvasirServer server = KvasirServer.start(config, shared);
        io.err().println("kvasir: serving " + server.modelId() + " on http://" + host + ":" + server.port() + "/v1");
        io.err().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "kvasir-shutdown"));
        stopped.await();
        return 0;
    }
}
