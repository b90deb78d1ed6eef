package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.compose.CompositionQuality;
import dev.kvasir.compose.Segments;
import dev.kvasir.generate.Generator;
import dev.kvasir.model.Model;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kvasir dev compose-quality}: measures composition against full recompute for several
 * recompute shares (KL divergence, top-1 and greedy agreement, time to first token), averaged over
 * every rotation of the document order, and prints a Markdown table (or JSON). Documents are the
 * paragraphs of a text file, or random token ids for random-weight models where only time matters.
 */
@Command(name = "compose-quality", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure cache composition against full recompute (docs/prompt-caching.md).")
final class ComposeQualityCommand implements java.util.concurrent.Callable<Integer> {
    private final CliIo io;

    @picocli.CommandLine.Mixin
    CommonOptions common;

    @Option(names = "--docs", paramLabel = "FILE", description = "Documents: paragraphs separated by blank lines; the first is the shared prefix, the last the question.")
    Path docs;

    @Option(names = "--random-docs", paramLabel = "N", description = "Instead of --docs: N documents of random token ids.")
    Integer randomDocs;

    @Option(names = "--doc-tokens", paramLabel = "N", defaultValue = "512", description = "Tokens per random document (default: ${DEFAULT-VALUE}).")
    int docTokens;

    @Option(names = "--recompute", paramLabel = "PCT", split = ",", defaultValue = "0,5,15,30,100",
            description = "Recompute shares to measure, in percent (default: ${DEFAULT-VALUE}).")
    List<Double> percents;

    @Option(names = "-n", paramLabel = "N", defaultValue = "32", description = "Greedy tokens compared after the question (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--orders", paramLabel = "K", description = "Rotations of the document order averaged (default: one per document).")
    Integer orders;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--json", description = "Print JSON instead of a Markdown table.")
    boolean json;

    ComposeQualityCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        if ((docs == null) == (randomDocs == null)) {
            throw new KvasirException("give either --docs FILE or --random-docs N");
        }
        Threads.configure(threads);
        Path modelPath = ModelLocator.locate(common.model, io);
        try (Generator g = Generator.load(modelPath)) {
            Model model = g.model();
            int[] prefixIds;
            List<int[]> docIds = new ArrayList<>();
            int[] question;
            if (docs != null) {
                String[] parts = PromptOptions.readFile(docs, io, "documents file").strip().split("\\n\\s*\\n");
                if (parts.length < 3) {
                    throw new KvasirException(docs + ": needs a prefix, at least one document and a question, separated by blank lines");
                }
                prefixIds = g.tokenize(parts[0]);
                for (int i = 1; i < parts.length - 1; i++) {
                    docIds.add(Segments.continuation(g, " " + parts[i].strip()));
                }
                question = Segments.continuation(g, " " + parts[parts.length - 1].strip());
            } else {
                SplittableRandom random = new SplittableRandom(42);
                int vocab = model.config().vocabSize();
                prefixIds = random.ints(16, 3, vocab).toArray();
                for (int i = 0; i < randomDocs; i++) {
                    docIds.add(random.ints(docTokens, 3, vocab).toArray());
                }
                question = random.ints(16, 3, vocab).toArray();
            }
            PromptCache prefix = PromptCache.create(model, CacheOptions.full());
            model.forward(prefixIds, 0, prefixIds.length, prefix.cache());
            prefix.accepted(prefixIds);
            List<PromptCache> segments = new ArrayList<>();
            for (int[] d : docIds) {
                PromptCache seg = prefix.fork();
                model.forward(d, 0, d.length, seg.cache());
                seg.accepted(d);
                segments.add(seg);
            }
            int rotations = orders != null ? orders : segments.size();
            double[][] sums = new double[percents.size()][6];
            double refTtft = 0;
            for (int r = 0; r < rotations; r++) {
                List<PromptCache> order = new ArrayList<>();
                for (int i = 0; i < segments.size(); i++) {
                    order.add(segments.get((i + r) % segments.size()));
                }
                CompositionQuality.Reference ref = CompositionQuality.reference(model, prefix, order, question, n);
                refTtft += ref.ttftMillis();
                for (int p = 0; p < percents.size(); p++) {
                    var q = CompositionQuality.measure(model, prefix, order, percents.get(p) / 100, ref);
                    double[] s = sums[p];
                    s[0] += q.meanKl();
                    s[1] = Math.max(s[1], q.maxKl());
                    s[2] += q.top1Agreement();
                    s[3] += q.greedyPrefix();
                    s[4] += q.ttftMillis();
                    s[5] += q.recomputedTokens();
                }
                io.err().printf(Locale.ROOT, "order %d of %d measured%n", r + 1, rotations);
            }
            print(modelPath, prefixIds.length, docIds, question.length, rotations, sums, refTtft / rotations);
        }
        return 0;
    }

    private void print(Path model, int prefixTokens, List<int[]> docIds, int questionTokens, int rotations, double[][] sums,
                       double refTtft) {
        int total = docIds.stream().mapToInt(d -> d.length).sum();
        if (json) {
            List<Object> rows = new ArrayList<>();
            for (int p = 0; p < percents.size(); p++) {
                double[] s = sums[p];
                rows.add(new Row(percents.get(p), s[5] / rotations, s[0] / rotations, s[1], s[2] / rotations, s[3] / rotations,
                        s[4] / rotations));
            }
            io.out().println(Json.write(new Report(model.getFileName().toString(), prefixTokens,
                    docIds.stream().mapToInt(d -> d.length).toArray(), questionTokens, n, rotations, refTtft, rows)));
            return;
        }
        io.out().printf(Locale.ROOT, "%s: prefix %d tokens, %d documents (%s tokens), question %d tokens, %d greedy tokens, "
                        + "%d document orders; full recompute (prefix cached) TTFT %.1f ms%n%n", model.getFileName(), prefixTokens,
                docIds.size(), Arrays.toString(docIds.stream().mapToInt(d -> d.length).toArray()), questionTokens, n, rotations,
                refTtft);
        io.out().println("| recompute | tokens recomputed | mean KL (nats) | max KL | top-1 agreement | identical greedy tokens | TTFT (ms) |");
        io.out().println("|---:|---:|---:|---:|---:|---:|---:|");
        for (int p = 0; p < percents.size(); p++) {
            double[] s = sums[p];
            io.out().printf(Locale.ROOT, "| %.0f %% | %.0f of %d | %.4g | %.4g | %.1f %% | %.1f of %d | %.1f |%n", percents.get(p),
                    s[5] / rotations, total, s[0] / rotations, s[1], 100 * s[2] / rotations, s[3] / rotations, n, s[4] / rotations);
        }
    }

    record Row(double recomputePercent, double recomputedTokens, double meanKl, double maxKl, double top1Agreement,
               double identicalGreedyTokens, double ttftMs) {}

    record Report(String model, int prefixTokens, int[] documentTokens, int questionTokens, int greedyTokens, int orders,
                  double fullRecomputeTtftMs, List<Object> rows) {}
}
