package dev.kvasir.cli;

import dev.kvasir.bench.BenchResult;
import dev.kvasir.bench.BenchTest;
import dev.kvasir.bench.CacheTtft;
import dev.kvasir.gguf.GgufTensorInfo;
import dev.kvasir.model.Model;
import dev.kvasir.tensor.GgmlType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Formats {@code kvasir bench} results: llama-bench's Markdown table, or JSON. */
final class BenchReport {
    static final String BACKEND = "Java Vector API";

    private BenchReport() {}

    /** What llama-bench's model, size and params columns show. */
    record ModelInfo(String model, String file, long sizeBytes, long params) {
        static ModelInfo of(Path path, Model model) {
            List<GgufTensorInfo> tensors = model.gguf().tensors();
            long size = tensors.stream().mapToLong(GgufTensorInfo::byteSize).sum();
            long params = tensors.stream().mapToLong(GgufTensorInfo::elementCount).sum();
            String name = model.config().architecture().ggufName() + " " + humanCount(params) + " " + dominantType(tensors);
            return new ModelInfo(name, path.getFileName().toString(), size, params);
        }

        /** The type holding most bytes, as llama.cpp names a model's file type (Q8_0, Q4_0...). */
        private static GgmlType dominantType(List<GgufTensorInfo> tensors) {
            Map<GgmlType, Long> bytes = tensors.stream().collect(Collectors.groupingBy(GgufTensorInfo::type,
                    Collectors.summingLong(GgufTensorInfo::byteSize)));
            return bytes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(GgmlType.F32);
        }
    }

    record TestJson(String test, int nPrompt, int nGen, int threads, double[] samplesTs, double avgTs, double stddevTs) {}

    record CacheJson(int promptTokens, int threads, double scratchSeconds, double loadSeconds, double cachedTtftSeconds,
                     double speedup, long kvcBytes, boolean sameFirstToken) {}

    record ReportJson(String model, String file, long sizeBytes, long params, String backend, List<TestJson> results,
                      List<CacheJson> cache) {}

    static String progress(BenchResult r) {
        return String.format(Locale.ROOT, "%s t=%d: %.2f ± %.2f t/s", r.test().name(), r.threads(), r.mean(), r.stddev());
    }

    static String markdown(ModelInfo m, List<BenchResult> results, List<CacheTtft.Result> caches) {
        StringBuilder s = new StringBuilder();
        if (!results.isEmpty()) {
            s.append("| model | size | params | backend | threads | test | t/s |\n");
            s.append("| ------------------------------ | ---------: | ---------: | ---------- | ------: | ------------: | -------------------: |\n");
            for (BenchResult r : results) {
                s.append(String.format(Locale.ROOT, "| %-30s | %10s | %10s | %-10s | %7d | %13s | %20s |%n", m.model(),
                        gib(m.sizeBytes()), humanCount(m.params()), BACKEND, r.threads(), r.test().name(),
                        String.format(Locale.ROOT, "%.2f ± %.2f", r.mean(), r.stddev())));
            }
        }
        if (!caches.isEmpty()) {
            s.append(s.isEmpty() ? "" : "\n");
            s.append("| model | threads | prompt | TTFT from scratch | .kvc load | TTFT from .kvc | speedup | .kvc size |\n");
            s.append("| ------------------------------ | ------: | -----: | ----------------: | --------: | -------------: | ------: | --------: |\n");
            for (CacheTtft.Result c : caches) {
                s.append(String.format(Locale.ROOT, "| %-30s | %7d | %6d | %15.3f s | %7.3f s | %12.3f s | %6.1fx | %9s |%n",
                        m.model(), c.threads(), c.promptTokens(), c.scratchSeconds(), c.loadSeconds(), c.cachedSeconds(),
                        c.speedup(), mib(c.fileBytes()) + (c.sameToken() ? "" : " (first token differs!)")));
            }
        }
        return s.toString();
    }

    static String json(ModelInfo m, List<BenchResult> results, List<CacheTtft.Result> caches) {
        Function<BenchResult, TestJson> test = r -> new TestJson(r.test().name(),
                r.test().kind() == BenchTest.Kind.PROMPT ? r.test().tokens() : 0,
                r.test().kind() == BenchTest.Kind.GENERATE ? r.test().tokens() : 0,
                r.threads(), r.tokensPerSecond(), r.mean(), r.stddev());
        Function<CacheTtft.Result, CacheJson> cache = c -> new CacheJson(c.promptTokens(), c.threads(), c.scratchSeconds(),
                c.loadSeconds(), c.cachedSeconds(), c.speedup(), c.fileBytes(), c.sameToken());
        return Json.write(new ReportJson(m.model(), m.file(), m.sizeBytes(), m.params(), BACKEND,
                results.stream().map(test).toList(), caches.stream().map(cache).toList())) + "\n";
    }

    /** llama.cpp's "1.10 B", "15.19 M" parameter counts; in the model column it prints "1B"-style sizes. */
    static String humanCount(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f B", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f K", n / 1e3);
    }

    static String gib(long bytes) {
        return bytes >= (1L << 30) ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30)) : mib(bytes);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1L << 20));
    }
}
