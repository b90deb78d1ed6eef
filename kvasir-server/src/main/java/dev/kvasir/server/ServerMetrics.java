package dev.kvasir.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/** The server's Prometheus metrics ({@code GET /metrics}). */
final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter promptTokens = counter("kvasir.prompt.tokens", "Prompt tokens received");
    private final Counter cachedTokens = counter("kvasir.cached.tokens", "Prompt tokens served from the prompt cache");
    private final Counter generatedTokens = counter("kvasir.generated.tokens", "Tokens generated");
    private final Counter promotions = counter("kvasir.cache.promotions", "Prompt cache entries loaded back from disk");
    private final Counter decodeSteps = counter("kvasir.decode.steps", "Decode steps run, each over a batch of sequences");
    private final Counter decodeSequences = counter("kvasir.decode.sequences",
            "Tokens decoded in decode steps (divided by kvasir_decode_steps_total: the mean batch size)");
    private final Counter sharedErrors = counter("kvasir.shared.errors", "Shared-tier (Redis) calls that failed or timed out");
    private final Counter sharedCorrupt = counter("kvasir.shared.corrupt", "Shared-tier values refused by their checksum or contents (recomputed)");
    private final Counter sharedDropped = counter("kvasir.shared.writes.dropped", "Sequences not written to the shared tier: the write queue was full");
    private final Counter sharedWrittenChunks = counter("kvasir.shared.written.chunks", "KV chunks written to the shared tier");
    private final Counter sharedWrittenBytes = counter("kvasir.shared.written.bytes", "Bytes of KV chunks written to the shared tier");
    private final Counter sharedReadChunks = counter("kvasir.shared.read.chunks", "KV chunks taken from the shared tier");
    private final Counter sharedReadBytes = counter("kvasir.shared.read.bytes", "Bytes of KV chunks taken from the shared tier");
    private final AtomicLong sharedAvailable = new AtomicLong();
    private final AtomicLong ramBytes = new AtomicLong();
    private final AtomicLong diskBytes = new AtomicLong();
    private final Timer timeToFirstToken = Timer.builder("kvasir.time.to.first.token")
            .description("From request arrival to the first generated token")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(2))
            .register(registry);

    ServerMetrics() {
        Gauge.builder("kvasir.cache.bytes", ramBytes, AtomicLong::get).tag("tier", "ram")
                .description("Bytes held by the prompt cache").baseUnit("bytes").register(registry);
        Gauge.builder("kvasir.cache.bytes", diskBytes, AtomicLong::get).tag("tier", "disk")
                .description("Bytes held by the prompt cache").baseUnit("bytes").register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    void request(String endpoint, int status) {
        Counter.builder("kvasir.requests").description("HTTP requests by endpoint and status")
                .tag("endpoint", endpoint).tag("status", Integer.toString(status)).register(registry).increment();
    }

    /** A kvasir_compose document segment found in the segment store ("hit") or computed ("miss"). */
    void segment(boolean hit) {
        Counter.builder("kvasir.compose.segments").description("kvasir_compose document segments by lookup result")
                .tag("result", hit ? "hit" : "miss").register(registry).increment();
    }

    void tokens(int prompt, int cached, int generated) {
        promptTokens.increment(prompt);
        cachedTokens.increment(cached);
        generatedTokens.increment(generated);
    }

    void decodeStep(int batch) {
        decodeSteps.increment();
        decodeSequences.increment(batch);
    }

    void firstToken(long nanos) {
        timeToFirstToken.record(Duration.ofNanos(nanos));
    }

    void eviction(String tier) {
        Counter.builder("kvasir.cache.evictions").description("Prompt cache entries evicted from a tier")
                .tag("tier", tier).register(registry).increment();
    }

    void promotion() {
        promotions.increment();
    }

    void cacheBytes(long ram, long disk) {
        ramBytes.set(ram);
        diskBytes.set(disk);
    }

    /** A lookup served (its longest part) from {@code tier}: ram, disk or redis; none is a miss. */
    void hit(String tier, int tokens) {
        Counter.builder("kvasir.cache.lookups").description("Prompt cache lookups by the tier that served the longest prefix (none: a miss)")
                .tag("tier", tier).register(registry).increment();
        Counter.builder("kvasir.cache.hit.tokens").description("Prompt tokens taken from the prompt cache, by the tier of the lookup")
                .tag("tier", tier).register(registry).increment(tokens);
    }

    void sharedTier(IntSupplier pendingWrites) {
        Gauge.builder("kvasir.shared.writes.pending", pendingWrites, IntSupplier::getAsInt)
                .description("Sequences queued for writing to the shared tier (write-behind)").register(registry);
        Gauge.builder("kvasir.shared.available", sharedAvailable, AtomicLong::get)
                .description("1 while the shared tier (Redis) answers, 0 during an outage").register(registry);
        sharedAvailable.set(1);
    }

    void sharedAvailable(boolean up) {
        sharedAvailable.set(up ? 1 : 0);
    }

    void sharedError() {
        sharedErrors.increment();
    }

    void sharedCorrupt() {
        sharedCorrupt.increment();
    }

    void sharedDropped() {
        sharedDropped.increment();
    }

    void sharedWritten(long bytes) {
        sharedWrittenChunks.increment();
        sharedWrittenBytes.increment(bytes);
    }

    void sharedRead(long bytes) {
        sharedReadChunks.increment();
        sharedReadBytes.increment(bytes);
    }

    String scrape() {
        return registry.scrape();
    }
}
