package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.bench.BenchResult;
import dev.kvasir.bench.BenchTest;
import dev.kvasir.bench.Benchmark;
import dev.kvasir.bench.CacheTtft;
import dev.kvasir.model.Model;
import dev.kvasir.tensor.Parallel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kvasir bench}: llama-bench's pp/tg tests, plus time to first token with a saved prompt cache. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure prompt processing (ppN) and generation (tgN) speed like llama-bench, and the"
                + " time to first token of a long prompt from scratch vs from its saved .kvc cache.")
final class BenchCommand implements Callable<Integer> {
    private final CliIo io;

    @Mixin
    CommonOptions common;

    @Option(names = {"-p", "--n-prompt"}, split = ",", defaultValue = "512", paramLabel = "N",
            description = "Prompt sizes, comma-separated; 0 = none (default: ${DEFAULT-VALUE}).")
    List<Integer> prompts;

    @Option(names = {"-n", "--n-gen"}, split = ",", defaultValue = "128", paramLabel = "N",
            description = "Generated token counts, comma-separated; 0 = none (default: ${DEFAULT-VALUE}).")
    List<Integer> gens;

    @Option(names = {"-t", "--threads"}, split = ",", paramLabel = "N",
            description = "Thread counts, comma-separated (default: all cores).")
    List<Integer> threads;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "5", paramLabel = "R",
            description = "Timed repetitions per test, after one warm-up run (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--cache-prompt", defaultValue = "2048", paramLabel = "N",
            description = "Prompt tokens of the prompt-cache TTFT test, capped at the context; 0 = skip (default: ${DEFAULT-VALUE}).")
    int cachePrompt;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where the cache test writes its temporary .kvc (default: system temp dir).")
    Path cacheDir;

    @Option(names = "--json", description = "Print one JSON object instead of Markdown tables.")
    boolean json;

    @Option(names = "--md", description = "Print Markdown tables (the default).")
    boolean markdown;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random token ids (default: ${DEFAULT-VALUE}).")
    long seed;

    BenchCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        validate();
        List<Integer> threadCounts = threads != null ? threads : List.of(Parallel.threads());
        Path path = ModelLocator.locate(common.model, io);
        try (Model model = Model.load(path)) {
            BenchReport.ModelInfo info = BenchReport.ModelInfo.of(path, model);
            List<BenchResult> results = new ArrayList<>();
            List<CacheTtft.Result> caches = new ArrayList<>();
            Benchmark bench = new Benchmark(model, seed);
            for (int t : threadCounts) {
                for (BenchTest test : tests()) {
                    BenchResult r = bench.run(test, t, repetitions);
                    results.add(r);
                    if (!json) {
                        io.err().println(BenchReport.progress(r));
                        io.err().flush();
                    }
                }
                if (cachePrompt > 0) {
                    Path dir = cacheDir != null ? io.workingDir().resolve(cacheDir) : Path.of(System.getProperty("java.io.tmpdir"));
                    caches.add(new CacheTtft(model, seed).measure(Math.min(cachePrompt, model.config().contextLength()), t, dir));
                }
            }
            io.out().print(json ? BenchReport.json(info, results, caches) : BenchReport.markdown(info, results, caches));
        }
        return 0;
    }

    private List<BenchTest> tests() {
        List<BenchTest> tests = new ArrayList<>();
        prompts.stream().filter(n -> n > 0).map(BenchTest::prompt).forEach(tests::add);
        gens.stream().filter(n -> n > 0).map(BenchTest::generate).forEach(tests::add);
        return tests;
    }

    private void validate() {
        if (json && markdown) {
            throw new KvasirException("--json and --md exclude each other; pick one output format");
        }
        if (repetitions < 1) {
            throw new KvasirException("-r must be at least 1, got " + repetitions);
        }
        if (prompts.stream().anyMatch(n -> n < 0) || gens.stream().anyMatch(n -> n < 0) || cachePrompt < 0) {
            throw new KvasirException("-p, -n and --cache-prompt take token counts of 0 or more");
        }
        if (threads != null && threads.stream().anyMatch(t -> t < 1)) {
            throw new KvasirException("-t takes thread counts of at least 1, got " + threads);
        }
        if (tests().isEmpty() && cachePrompt == 0) {
            throw new KvasirException("nothing to measure: give -p or -n sizes above 0, or --cache-prompt");
        }
    }
}
