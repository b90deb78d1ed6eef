package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.generate.Cancellation;
import dev.kvasir.generate.GenerationRequest;
import dev.kvasir.generate.GenerationResult;
import dev.kvasir.generate.Generator;
import dev.kvasir.generate.Timings;
import dev.kvasir.sample.Sampler;
import dev.kvasir.sample.SamplerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import com.fasterxml.jackson.annotation.JsonInclude;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kvasir generate}: streams a continuation of the prompt to stdout, speed to stderr. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Continue a prompt: the text streams to stdout, prompt and generation speed go to stderr.")
final class GenerateCommand extends ModelCommand {
    // not llama.cpp's -1: small story models rarely emit EOS (they emit BOS between stories) and would
    // otherwise ramble until the context is full
    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "256",
            description = "Tokens to generate; -1: until the model ends or the context is full (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--stop", paramLabel = "STR", description = "Stop when the text contains STR (not printed); repeatable.")
    List<String> stops = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object (token ids, text, timings) instead of streaming text.")
    boolean json;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--prompt-ids", paramLabel = "FILE|-",
            description = "The prompt as a JSON array of token ids (a file, or - for stdin), evaluated as given (no BOS added); "
                    + "e.g. compose's prompt_token_ids, to recompute a composed prompt in full.")
    String promptIds;

    @Option(names = "--no-display-prompt", description = "Print only the generated text, not the prompt before it.")
    boolean noDisplayPrompt;

    GenerateCommand(CliIo io) {
        super(io);
    }

    @Mixin
    GenerateCacheOptions cacheOptions;

    @Mixin
    GenerateCheckpointOptions checkpointOptions;

    @Override
    public Integer call() {
        cacheOptions.validate(io);
        checkpointOptions.validate(cacheOptions, io);
        if (checkpointOptions.active() && promptIds != null) {
            throw new KvasirException("--prompt-ids cannot be combined with --checkpoint/--resume");
        }
        if (checkpointOptions.active()) {
            return checkpointed();
        }
        int[] givenIds = promptIds == null ? null : PromptIds.read(promptIds, prompt.given() || cacheOptions.active(), io);
        String text = givenIds != null || cacheOptions.active() && !prompt.given() ? "" : prompt.read(io);
        SamplerSettings settings = samplerSettings();
        Threads.configure(threads);
        try (Generator generator = Generator.load(CacheModel.locate(common.model, cacheOptions.cachePath(io), io))) {
            PromptPlan plan = cacheOptions.active() ? cacheOptions.plan(generator, text, io)
                    : PromptPlan.fresh(givenIds != null ? givenIds : generator.tokenize(text), generator.newCache());
            int[] ids = plan.input();
            if (ids.length == 0) {
                throw new KvasirException("the prompt is empty and the model adds no BOS token; give a non-empty prompt");
            }
            int limit = maxTokens < 0 ? generator.model().config().contextLength() : maxTokens;
            Sampler sampler = new Sampler(settings);
            Cancellation stdoutClosed = new Cancellation();
            var request = new GenerationRequest(ids, limit, sampler, stops, stdoutClosed);
            if (!json && !noDisplayPrompt) {
                io.out().print(text);
                io.out().flush();
            }
            long start = System.nanoTime();
            long[] firstToken = {-1};
            GenerationResult result = generator.generate(request, plan.kvCache(), (id, piece) -> {
                if (firstToken[0] < 0) {
                    firstToken[0] = System.nanoTime();
                }
                if (!json) {
                    io.out().print(piece);
                    io.out().flush();
                    if (io.out().checkError()) {
                        stdoutClosed.cancel(); // e.g. piped into head: nobody reads the rest
                    }
                }
            });
            double ttft = firstToken[0] < 0 ? 0 : (firstToken[0] - start) / 1e6;
            java.nio.file.Path saved = cacheOptions.persist(plan, result, io);
            report(result, sampler.seed(), cacheOptions.active() ? CacheJson.of(cacheOptions.cachePath(io), plan, ttft, saved) : null);
        }
        return 0;
    }

    /** --checkpoint / --resume: a generation saved as it runs (see CheckpointedGeneration). */
    private int checkpointed() {
        boolean resume = checkpointOptions.resume != null;
        String text = resume ? null : cacheOptions.active() && !prompt.given() ? "" : prompt.read(io);
        SamplerSettings settings = resume ? null : samplerSettings();
        Threads.configure(threads);
        java.nio.file.Path file = checkpointOptions.file(io);
        java.nio.file.Path modelFrom = resume ? file : cacheOptions.cachePath(io);
        try (Generator generator = Generator.load(CacheModel.locate(common.model, modelFrom, io))) {
            var run = new CheckpointedGeneration(generator, io, !json, file, checkpointOptions.every);
            CheckpointedGeneration.Outcome outcome;
            if (resume) {
                outcome = run.resume();
            } else {
                if (!json && !noDisplayPrompt) {
                    io.out().print(text);
                    io.out().flush();
                }
                int limit = maxTokens < 0 ? generator.model().config().contextLength() : maxTokens;
                PromptPlan plan = cacheOptions.active() ? cacheOptions.plan(generator, text, io) : null;
                outcome = plan == null ? run.start(generator.tokenize(text), limit, settings, stops)
                        : run.start(plan.promptCache(), plan.input(), limit, settings, stops);
            }
            if (json) {
                GenerationResult last = outcome.lastRun();
                io.out().println(Json.write(new ResumableJson(outcome.generated(), outcome.text(),
                        last == null ? "finished" : last.stopReason().name().toLowerCase(Locale.ROOT), outcome.seed(),
                        file.toString())));
            } else {
                io.out().println();
                if (outcome.lastRun() != null) {
                    printTimings(outcome.lastRun());
                } else {
                    io.err().println("generation: " + outcome.generated().length + " tokens, finished before this run"
                            + " (nothing computed)");
                }
            }
        }
        return 0;
    }

    record ResumableJson(int[] generatedTokenIds, String text, String stopReason, long seed, String checkpoint) {}

    private SamplerSettings samplerSettings() {
        return sampling.settings();
    }

    private void report(GenerationResult result, long usedSeed, CacheJson cache) {
        Timings t = result.timings();
        if (json) {
            io.out().println(Json.write(new GenerateJson(result.inputTokens(), result.generatedTokens(), result.text(),
                    result.stopReason().name().toLowerCase(Locale.ROOT), usedSeed, TimingsJson.of(t), cache)));
            return;
        }
        io.out().println();
        if (cache != null) {
            io.err().println(cache.describe());
        }
        printTimings(result);
    }

    /** The summary on stderr every text-mode run ends with. */
    private void printTimings(GenerationResult result) {
        Timings t = result.timings();
        io.err().printf(Locale.ROOT, "prompt:     %5d tokens in %9.1f ms (%.1f tokens/s)%n", t.promptTokens(),
                t.promptMillis(), t.promptTokensPerSecond());
        io.err().printf(Locale.ROOT, "generation: %5d tokens in %9.1f ms (%.1f tokens/s), stopped: %s%n",
                t.generatedTokens(), t.generationMillis(), t.generationTokensPerSecond(),
                result.stopReason().name().toLowerCase(Locale.ROOT));
    }

    record GenerateJson(int[] promptTokenIds, int[] generatedTokenIds, String text, String stopReason, long seed,
                        TimingsJson timings, @JsonInclude(JsonInclude.Include.NON_NULL) CacheJson cache) {}

    record TimingsJson(int promptTokens, double promptMs, double promptTokensPerSecond, int generatedTokens,
                       double generationMs, double generationTokensPerSecond) {
        static TimingsJson of(Timings t) {
            return new TimingsJson(t.promptTokens(), t.promptMillis(), t.promptTokensPerSecond(), t.generatedTokens(),
                    t.generationMillis(), t.generationTokensPerSecond());
        }
    }
}
