package dev.kvasir.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

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

    String scrape() {
        return registry.scrape();
    }
}
