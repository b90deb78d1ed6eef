package dev.kvasir.generate;

import dev.kvasir.cache.KvCache;
import dev.kvasir.constrain.GrammarMatcher;
import dev.kvasir.sample.Sampler;
import dev.kvasir.tokenizer.TokenDecoder;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A running generation, pulled token by token: each {@link #next()} does at most one forward pass.
 * The prompt is processed on the first {@link #hasNext()}. A sampled token is fed to the model only
 * when the next one is asked for, so stopping (for any reason) never computes a position nobody needs,
 * and the cache always holds every position computed so far. Not thread-safe, except {@link Cancellation}.
 */
public final class Generation implements Iterator<GeneratedToken> {
    private final GenerationBackend backend;
    private final GenerationRequest request;
    private final KvCache cache;
    private final Sampler sampler;
    private final TokenDecoder decoder;
    private final StopStrings stops;
    private final StringBuilder text = new StringBuilder();
    private int[] generated = new int[16];
    private int generatedCount;
    private float[] logits;
    private float[] sampledFrom;
    private boolean prefilled;
    /** The logits are the prefill's, not yet sampled from ({@link #prefill()} called before the first step). */
    private boolean prefillLogits;
    private GeneratedToken buffered;
    private StopReason stopReason;
    private long startNanos;
    private long prefillEndNanos;
    private long endNanos;

    Generation(GenerationBackend backend, GenerationRequest request, KvCache cache) {
        this(backend, request, cache, new int[0]);
    }

    /**
     * {@code earlier}: tokens an interrupted generation already output. They are replayed through the
     * detokenizer and the stop-string matcher (their text is not output again) so that bytes of an
     * unfinished character and a partial stop-string match held back at the interruption carry over.
     */
    Generation(GenerationBackend backend, GenerationRequest request, KvCache cache, int[] earlier) {
        this.backend = backend;
        this.request = request;
        this.cache = cache;
        this.sampler = request.sampler();
        this.decoder = backend.newDecoder();
        this.stops = new StopStrings(request.stopStrings());
        for (int token : earlier) {
            stops.feed(decoder.accept(token));
        }
    }

    @Override
    public boolean hasNext() {
        if (buffered == null && stopReason == null) {
            buffered = advance();
        }
        return buffered != null;
    }

    @Override
    public GeneratedToken next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the generation has ended: " + stopReason);
        }
        GeneratedToken out = buffered;
        buffered = null;
        return out;
    }

    public Stream<GeneratedToken> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Runs to the end, handing every step to {@code listener}; returns the result. */
    public GenerationResult run(TokenListener listener) {
        while (hasNext()) {
            GeneratedToken t = next();
            listener.onToken(t.token(), t.text());
        }
        return result();
    }

    /**
     * The logits the token last returned by {@link #next()} was sampled from: the model's, with a
     * constraint's mask applied (-inf for forbidden tokens), before penalties and temperature; for
     * log-probabilities. Valid until the next {@link #hasNext()}; do not modify.
     */
    public float[] lastLogits() {
        return sampledFrom;
    }

    public boolean isFinished() {
        return stopReason != null && buffered == null;
    }

    /** The outcome; only once the generation has ended. */
    public GenerationResult result() {
        if (!isFinished()) {
            throw new IllegalStateException("the generation is still running");
        }
        int[] input = request.input();
        Timings timings = new Timings(prefilled ? input.length : 0, millis(startNanos, prefillEndNanos),
                generatedCount, millis(prefillEndNanos, endNanos));
        return new GenerationResult(input, Arrays.copyOf(generated, generatedCount), text.toString(), stopReason,
                timings);
    }

    private static double millis(long from, long to) {
        return Math.max(0, to - from) / 1e6;
    }

    private GeneratedToken advance() {
        if (request.cancellation().isCancelled()) {
            return finish(StopReason.CANCELLED);
        }
        if (!prefilled) {
            startPrefill();
        } else if (!prefillLogits) {
            if (generatedCount == request.maxTokens()) {
                return finish(StopReason.MAX_TOKENS);
            } else if (cache.size() >= backend.contextLength()) {
                return finish(StopReason.CONTEXT_FULL);
            }
            logits = backend.forward(generated, generatedCount - 1, 1, cache);
        }
        prefillLogits = false;
        if (generatedCount == request.maxTokens()) {
            return finish(StopReason.MAX_TOKENS);
        }
        float[] scores = logits;
        GrammarMatcher constraint = request.constraint();
        if (constraint != null) {
            scores = logits.clone();
            constraint.mask(scores);
        }
        sampledFrom = scores;
        int token = sampler.sample(scores);
        sampler.accept(token);
        if (constraint != null) {
            constraint.accept(token);
        }
        if (backend.isEndOfGeneration(token)) {
            return finish(StopReason.END_OF_GENERATION);
        }
        append(token);
        String out = stops.feed(decoder.accept(token));
        text.append(out);
        if (stops.stopped()) {
            finish(StopReason.STOP_STRING);
        }
        return new GeneratedToken(token, out);
    }

    /**
     * Runs the input through the model now instead of in the first {@link #next()}, e.g. to save the cache
     * between the prompt and the first token; the first step then samples from the prompt's logits.
     */
    public void prefill() {
        if (prefilled || stopReason != null) {
            return;
        }
        startPrefill();
        prefillLogits = true;
    }

    private void startPrefill() {
        startNanos = System.nanoTime();
        int[] input = request.input();
        logits = backend.forward(input, 0, input.length, cache);
        for (int token : input) {
            sampler.accept(token); // llama-server lets prompt tokens count for the repetition penalties
        }
        prefilled = true;
        prefillEndNanos = System.nanoTime();
    }

    private void append(int token) {
        if (generatedCount == generated.length) {
            generated = Arrays.copyOf(generated, generatedCount * 2);
        }
        generated[generatedCount++] = token;
    }

    /** Ends the generation; returns the held-back text as a last element, or null when there is none. */
    private GeneratedToken finish(StopReason reason) {
        stopReason = reason;
        endNanos = System.nanoTime();
        if (!prefilled) {
            startNanos = prefillEndNanos = endNanos;
        }
        if (reason == StopReason.STOP_STRING) {
            return null;
        }
        String rest = stops.feed(decoder.flush()) + stops.flush();
        text.append(rest);
        return rest.isEmpty() ? null : new GeneratedToken(GeneratedToken.NO_TOKEN, rest);
    }
}
