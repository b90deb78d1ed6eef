package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.generate.Cancellation;
import dev.kvasir.generate.GeneratedToken;
import dev.kvasir.generate.Generation;
import dev.kvasir.generate.GenerationRequest;
import dev.kvasir.generate.GenerationResult;
import dev.kvasir.generate.Generator;
import dev.kvasir.sample.Sampler;
import dev.kvasir.sample.SamplerSettings;
import dev.kvasir.workflow.CacheIdentity;
import dev.kvasir.workflow.CacheKeys;
import dev.kvasir.workflow.GenerationCheckpoint;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A generation that saves itself every N tokens (KV cache + {@link GenerationCheckpoint}) and can be
 * resumed from the file: the resumed run's tokens equal an uninterrupted run's, since the sampler
 * continues from the same RNG state and penalty history, and the KV cache is restored exactly.
 */
final class CheckpointedGeneration {
    /** The whole generation, across resumes: ids and text since the first run. */
    record Outcome(int[] generated, String text, GenerationResult lastRun, long seed) {}

    private final Generator generator;
    private final CliIo io;
    private final boolean stream;
    private final Path file;
    private final int every;

    CheckpointedGeneration(Generator generator, CliIo io, boolean stream, Path file, int every) {
        this.generator = generator;
        this.io = io;
        this.stream = stream;
        this.file = file;
        this.every = every;
    }

    Outcome start(int[] prompt, int maxTokens, SamplerSettings settings, List<String> stops) {
        CacheFiles.checkWritable(file);
        PromptCache pc = PromptCache.create(CacheIdentity.of(generator.model()), CacheOptions.full());
        Sampler sampler = new Sampler(settings);
        return run(pc, new GenerationRequest(prompt, maxTokens, sampler, stops, Cancellation.none()), prompt.length,
                new int[0], "");
    }

    Outcome resume() {
        PromptCache pc = CacheFiles.load(file, CacheIdentity.of(generator.model()), io);
        GenerationCheckpoint cp = GenerationCheckpoint.fromMetadata(pc.metadata(), file.toString());
        int[] done = cp.generated();
        if (stream) {
            io.out().print(cp.text());
            io.out().flush();
        }
        if (cp.finished() || done.length == 0) {
            return new Outcome(done, cp.text(), null, cp.samplerState().seed());
        }
        if (pc.size() != cp.promptTokens() + done.length - 1) {
            throw new KvasirException(file + ": the checkpoint holds " + pc.size() + " tokens but its metadata describes "
                    + (cp.promptTokens() + done.length - 1) + "; start the generation again");
        }
        CacheFiles.checkWritable(file);
        Sampler sampler = Sampler.restore(cp.settings(), cp.samplerState());
        var request = new GenerationRequest(new int[] {done[done.length - 1]}, cp.maxTokens() - done.length, sampler,
                cp.stopStrings(), Cancellation.none());
        return run(pc, request, cp.promptTokens(), done, cp.text());
    }

    private Outcome run(PromptCache pc, GenerationRequest request, int promptTokens, int[] before, String textBefore) {
        pc.putMetadata(CacheKeys.MODEL_FILE, generator.model().gguf().path().toAbsolutePath().toString());
        int[] base = IntStream.concat(Arrays.stream(pc.tokens()), Arrays.stream(request.input())).toArray();
        int maxTokens = before.length + request.maxTokens();
        Generation g = generator.start(request, pc.cache());
        StringBuilder text = new StringBuilder(textBefore);
        int[] generated = Arrays.copyOf(before, before.length + request.maxTokens());
        int count = before.length;
        int sinceSave = 0;
        while (g.hasNext()) {
            GeneratedToken t = g.next();
            text.append(t.text());
            if (stream) {
                io.out().print(t.text());
                io.out().flush();
            }
            if (t.token() != GeneratedToken.NO_TOKEN) {
                generated[count++] = t.token();
                if (++sinceSave >= every) {
                    save(pc, base, request, promptTokens, Arrays.copyOf(generated, count), maxTokens, text, false);
                    sinceSave = 0;
                }
            }
        }
        int[] all = Arrays.copyOf(generated, count);
        save(pc, base, request, promptTokens, all, maxTokens, text, true);
        return new Outcome(all, text.toString(), g.result(), request.sampler().seed());
    }

    private void save(PromptCache pc, int[] base, GenerationRequest request, int promptTokens, int[] generated,
                      int maxTokens, CharSequence text, boolean finished) {
        int[] sequence = IntStream.concat(Arrays.stream(base), Arrays.stream(runTokens(generated, base, promptTokens)))
                .toArray();
        pc.accepted(Arrays.copyOfRange(sequence, pc.size(), pc.cache().size()));
        var state = GenerationCheckpoint.beforeLastToken(request.sampler().state(), generated.length > 0);
        new GenerationCheckpoint(request.sampler().settings(), state, promptTokens, generated, maxTokens,
                request.stopStrings(), text.toString(), finished).toMetadata().forEach(pc::putMetadata);
        pc.save(file);
        if (!finished) {
            io.err().println("checkpoint: " + generated.length + " tokens saved to " + file);
            io.err().flush();
        }
    }

    /** The generated tokens that come after {@code base} (prompt + generated before this run, + the fed one). */
    private static int[] runTokens(int[] generated, int[] base, int promptTokens) {
        int inBase = base.length - promptTokens; // generated tokens already in base
        return Arrays.copyOfRange(generated, Math.min(inBase, generated.length), generated.length);
    }
}
