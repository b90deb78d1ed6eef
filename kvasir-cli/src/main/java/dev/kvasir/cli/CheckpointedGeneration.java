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
 * continues from the same RNG state and penalty history, and the KV cache is restored exactly; so is
 * its text, since the detokenizer and stop-string state held back at the checkpoint (half a UTF-8
 * character, the start of a stop string) is rebuilt by replaying the saved tokens.
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
        return start(PromptCache.create(CacheIdentity.of(generator.model()), CacheOptions.full()), prompt, maxTokens,
                settings, stops);
    }

    /**
     * Starts after what {@code pc} holds (a loaded {@code --cache}, already trimmed to the reused prefix),
     * feeding {@code input}; the checkpoints are written to this run's file, the source file is not changed.
     */
    Outcome start(PromptCache pc, int[] input, int maxTokens, SamplerSettings settings, List<String> stops) {
        if (input.length == 0) {
            throw new KvasirException("the prompt is empty and the model adds no BOS token; give a non-empty prompt");
        }
        CacheFiles.checkWritable(file);
        // a document's text no longer describes the cache once generated tokens follow it
        pc.removeMetadata(CacheKeys.TEXT);
        pc.removeMetadata(CacheKeys.TEXT_TOKENS);
        var request = new GenerationRequest(input, maxTokens, new Sampler(settings), stops, Cancellation.none());
        return run(pc, request, pc.size() + input.length, new int[0], "", true);
    }

    Outcome resume() {
        PromptCache pc = CacheFiles.loadQuietly(file, CacheIdentity.of(generator.model()));
        GenerationCheckpoint cp;
        try {
            // refuse before printing anything, so that a refusal is one line
            cp = GenerationCheckpoint.fromMetadata(pc.metadata(), file.toString());
            checkConsistent(pc, cp);
        } catch (KvasirException e) {
            throw pc.loadReport().intact() ? e : new KvasirException(e.getMessage() + " (a damaged tail of the file was ignored: "
                    + pc.loadReport().problem() + ")");
        }
        CacheFiles.noteDamage(file, pc, io);
        int[] done = cp.generated();
        if (stream && !cp.text().isEmpty()) {
            // stdout of a resumed run is the whole generated text, whatever the killed run printed before dying
            io.err().println("kvasir: note: " + file + ": printing again the text of the " + done.length
                    + " tokens generated before the checkpoint, then " + (cp.finished() ? "nothing: the generation had finished"
                    : "continuing"));
            io.err().flush();
            io.out().print(cp.text());
            io.out().flush();
        }
        if (cp.finished()) {
            return new Outcome(done, cp.text(), null, cp.samplerState().seed());
        }
        if (done.length == 0) {
            return resumeAfterPrompt(pc, cp);
        }
        CacheFiles.checkWritable(file);
        Sampler sampler = Sampler.restore(cp.settings(), cp.samplerState());
        var request = new GenerationRequest(new int[] {done[done.length - 1]}, cp.maxTokens() - done.length, sampler,
                cp.stopStrings(), Cancellation.none());
        return run(pc, request, cp.promptTokens(), done, cp.text(), false);
    }

    /**
     * Killed after the checkpoint written right after prefill: the cache holds the whole prompt, but the
     * logits of its last token are needed, so that token is dropped and fed again (bit-identical: the
     * forward pass rounds a token the same way in any batch).
     */
    private Outcome resumeAfterPrompt(PromptCache pc, GenerationCheckpoint cp) {
        int[] prompt = pc.tokens();
        if (pc.trim(1) != 1) {
            throw new KvasirException(file + ": this " + pc.options().kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " cache cannot drop the prompt's last token to resume from it; start the generation again");
        }
        CacheFiles.checkWritable(file);
        var request = new GenerationRequest(new int[] {prompt[prompt.length - 1]}, cp.maxTokens(),
                Sampler.restore(cp.settings(), cp.samplerState()), cp.stopStrings(), Cancellation.none());
        return run(pc, request, cp.promptTokens(), new int[0], "", false);
    }

    /** The cache holds the prompt and every generated token but the last (just the prompt before the first token). */
    private void checkConsistent(PromptCache pc, GenerationCheckpoint cp) {
        int generated = cp.generated().length;
        int expected = cp.promptTokens() + Math.max(0, generated - 1);
        if (!cp.finished() && (pc.size() != expected || pc.size() == 0)) {
            throw new KvasirException(file + ": the checkpoint holds " + pc.size() + " tokens but its metadata describes "
                    + expected + "; start the generation again");
        }
    }

    private Outcome run(PromptCache pc, GenerationRequest request, int promptTokens, int[] before, String textBefore,
                        boolean checkpointPrompt) {
        pc.putMetadata(CacheKeys.MODEL_FILE, generator.model().gguf().path().toAbsolutePath().toString());
        int[] base = IntStream.concat(Arrays.stream(pc.tokens()), Arrays.stream(request.input())).toArray();
        int maxTokens = before.length + request.maxTokens();
        Generation g = generator.resume(request, pc.cache(), before); // held-back text carries over
        StringBuilder text = new StringBuilder(textBefore);
        int[] generated = Arrays.copyOf(before, before.length + request.maxTokens());
        int count = before.length;
        int sinceSave = 0;
        if (checkpointPrompt) {
            g.prefill(); // so that a run killed before its first token checkpoint still resumes without the prompt
            save(pc, base, request, promptTokens, new int[0], maxTokens, text, false);
        }
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
        // until the end a token is pending (the last generated one, or the prompt's last): its resume feeds it again
        var state = GenerationCheckpoint.beforeLastToken(request.sampler().state(), generated.length > 0 || !finished);
        new GenerationCheckpoint(request.sampler().settings(), state, promptTokens, generated, maxTokens,
                request.stopStrings(), text.toString(), finished).toMetadata().forEach(pc::putMetadata);
        pc.save(file);
        if (!finished) {
            io.err().println("checkpoint: " + (generated.length == 0 ? "the prompt (" + promptTokens + " tokens)"
                    : generated.length + " tokens") + " saved to " + file);
            io.err().flush();
        }
    }

    /** The generated tokens that come after {@code base} (prompt + generated before this run, + the fed one). */
    private static int[] runTokens(int[] generated, int[] base, int promptTokens) {
        int inBase = base.length - promptTokens; // generated tokens already in base
        return Arrays.copyOfRange(generated, Math.min(inBase, generated.length), generated.length);
    }
}
