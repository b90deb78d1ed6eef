package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.compose.Composition;
import dev.kvasir.compose.Segments;
import dev.kvasir.generate.Cancellation;
import dev.kvasir.generate.GenerationRequest;
import dev.kvasir.generate.GenerationResult;
import dev.kvasir.generate.Generator;
import dev.kvasir.sample.Sampler;
import dev.kvasir.workflow.CacheIdentity;
import dev.kvasir.workflow.CacheKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kvasir compose}: one prompt from separately cached documents, {@code [prefix][doc A][doc B]...[question]},
 * each document's KV reused from its own segment cache (made by {@code cache-prompt --after PREFIX.kvc}),
 * with a selective recompute of a fraction of the document tokens, then generation.
 */
@Command(name = "compose", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compose cached documents after a cached prefix, recompute a fraction of them, and answer a question.")
final class ComposeCommand extends ModelCommand {
    /** Measured on stories260K and TinyLlama-v0 (docs/prompt-caching.md): the smallest share that recovers most agreement. */
    static final double DEFAULT_RECOMPUTE_PERCENT = 15;

    @Option(names = "--prefix", paramLabel = "PREFIX.kvc", required = true, description = "The shared prefix's cache.")
    Path prefix;

    @Option(names = "--doc", paramLabel = "DOC.kvc", required = true,
            description = "A document segment cache (cache-prompt --after PREFIX.kvc); repeatable, in prompt order.")
    List<Path> docs = new ArrayList<>();

    @Option(names = "--recompute", paramLabel = "PCT", defaultValue = "" + DEFAULT_RECOMPUTE_PERCENT,
            description = "Percent of document tokens recomputed in the composed context; 0 = plain concatenation, "
                    + "100 = full recompute (default: ${DEFAULT-VALUE}).")
    double recomputePercent;

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "256", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--stop", paramLabel = "STR", description = "Stop when the text contains STR (not printed); repeatable.")
    List<String> stops = new ArrayList<>();

    @Option(names = "--save-as", paramLabel = "OUT.kvc", description = "Also save the composed cache (with the question and answer).")
    Path saveAs;

    @Option(names = "--json", description = "Print one JSON object (token ids, text, composition) instead of streaming text.")
    boolean json;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    ComposeCommand(CliIo io) {
        super(io);
    }

    @Override
    public Integer call() {
        if (!(recomputePercent >= 0 && recomputePercent <= 100)) {
            throw new KvasirException("--recompute " + recomputePercent + " is outside 0..100");
        }
        String question = prompt.read(io);
        var settings = sampling.settings();
        Threads.configure(threads);
        Path prefixFile = io.workingDir().resolve(prefix);
        if (saveAs != null) {
            CacheFiles.checkWritable(io.workingDir().resolve(saveAs));
        }
        try (Generator generator = Generator.load(CacheModel.locate(common.model, prefixFile, io))) {
            var identity = CacheIdentity.of(generator.model());
            PromptCache prefixCache = CacheFiles.load(prefixFile, identity, io);
            List<PromptCache> docCaches = new ArrayList<>();
            for (Path doc : docs) {
                docCaches.add(CacheFiles.load(io.workingDir().resolve(doc), identity, io));
            }
            Composition.Result composed = Composition.compose(generator.model(), prefixCache, docCaches,
                    recomputePercent / 100);
            PromptCache cache = composed.cache();
            int[] questionIds = Segments.continuation(generator, question);
            if (questionIds.length == 0) {
                throw new KvasirException("the question is empty; give a non-empty -p");
            }
            Sampler sampler = new Sampler(settings);
            var request = new GenerationRequest(questionIds, maxTokens, sampler, stops, new Cancellation());
            long start = System.nanoTime();
            long[] first = {-1};
            GenerationResult result = generator.generate(request, cache.cache(), (id, piece) -> {
                if (first[0] < 0) {
                    first[0] = System.nanoTime();
                }
                if (!json) {
                    io.out().print(piece);
                    io.out().flush();
                }
            });
            double ttft = composed.composeMillis() + composed.recomputeMillis()
                    + (first[0] < 0 ? (System.nanoTime() - start) / 1e6 : (first[0] - start) / 1e6);
            int[] promptIds = Segments.join(cache.tokens(), questionIds);
            if (saveAs != null) {
                cache.accepted(questionIds);
                cache.accepted(Arrays.copyOf(result.generatedTokens(), cache.cache().size() - cache.size()));
                cache.putMetadata(CacheKeys.MODEL_FILE, generator.model().gguf().path().toAbsolutePath().toString());
                cache.save(io.workingDir().resolve(saveAs));
            }
            report(result, composed, promptIds, ttft, sampler.seed());
        }
        return 0;
    }

    private void report(GenerationResult result, Composition.Result c, int[] promptIds, double ttft, long seed) {
        int docTokens = Arrays.stream(c.documentTokens()).sum();
        if (json) {
            io.out().println(Json.write(new ComposeJson(promptIds, result.generatedTokens(), result.text(),
                    result.stopReason().name().toLowerCase(Locale.ROOT), seed, new CompositionJson(c.prefixTokens(),
                    c.documentTokens(), c.recomputedTokens(), recomputePercent, c.composeMillis(), c.recomputeMillis(), ttft))));
            return;
        }
        io.out().println();
        io.err().printf(Locale.ROOT, "composed %d prefix + %d document tokens (%d documents) in %.1f ms; "
                        + "recomputed %d of them (%.0f %%) in %.1f ms; time to first token %.1f ms%n",
                c.prefixTokens(), docTokens, c.documentTokens().length, c.composeMillis(), c.recomputedTokens(),
                recomputePercent, c.recomputeMillis(), ttft);
    }


    record CompositionJson(int prefixTokens, int[] documentTokens, int recomputedTokens, double recomputePercent,
                           double composeMs, double recomputeMs, double timeToFirstTokenMs) {}

    record ComposeJson(int[] promptTokenIds, int[] generatedTokenIds, String text, String stopReason, long seed,
                       CompositionJson composition) {}
}
