package dev.kvasir.api;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.KvCache;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.constrain.GrammarMatcher;
import dev.kvasir.generate.Cancellation;
import dev.kvasir.generate.ForwardPass;
import dev.kvasir.generate.GeneratedToken;
import dev.kvasir.generate.Generation;
import dev.kvasir.generate.GenerationRequest;
import dev.kvasir.generate.Generator;
import dev.kvasir.generate.TokenListener;
import dev.kvasir.sample.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one generation on a prompt cache: keeps the cache's longest common prefix with the prompt, computes
 * the rest, and records every computed id in the cache, also when the listener throws. Forward passes go
 * through one lock, so generations of several threads take turns per pass.
 */
final class Runner {
    private final Generator generator;
    private final Object modelLock = new Object();
    private final ForwardPass serialized;

    Runner(Generator generator) {
        this.generator = generator;
        // the model reuses its logits buffer, so a copy leaves the lock: another thread's pass comes next
        this.serialized = (int[] tokens, int from, int n, KvCache cache) -> {
            synchronized (modelLock) {
                return generator.model().forward(tokens, from, n, cache).clone();
            }
        };
    }

    /** {@code constraint} (nullable): the grammar every sampled token must follow. */
    Result run(PromptCache pc, int[] prompt, Params params, List<String> extraStops, GrammarMatcher constraint,
               TokenListener listener) {
        int ctx = generator.model().config().contextLength();
        if (prompt.length == 0) {
            throw new KvasirException("the prompt is empty and the model adds no BOS token; give a non-empty prompt");
        }
        if (prompt.length >= ctx) {
            throw new KvasirException("the prompt is " + prompt.length + " tokens but the model's context holds "
                    + ctx + "; shorten it");
        }
        int cached = pc.reuse(prompt);
        int[] input = Arrays.copyOfRange(prompt, cached, prompt.length);
        Sampler sampler = new Sampler(params.sampling());
        for (int i = 0; i < cached; i++) {
            sampler.accept(prompt[i]); // penalties see the whole prompt, as in a run without a cache
        }
        List<String> stops = new ArrayList<>(params.stop());
        stops.addAll(extraStops);
        int maxTokens = Math.min(params.maxTokens(), ctx - prompt.length);
        var request = new GenerationRequest(input, maxTokens, sampler, stops, Cancellation.none(), constraint);
        int[] fed = Arrays.copyOf(input, input.length + Math.max(16, maxTokens));
        int generated = 0;
        Generation generation = generator.start(request, pc.cache(), serialized);
        try {
            while (generation.hasNext()) {
                GeneratedToken t = generation.next();
                if (t.isToken()) {
                    fed[input.length + generated++] = t.token();
                }
                listener.onToken(t.token(), t.text());
            }
        } finally {
            pc.accepted(Arrays.copyOf(fed, pc.cache().size() - pc.size()));
        }
        var r = generation.result();
        return new Result(r.text(), r.generatedTokens(), r.stopReason(), prompt.length, cached, r.timings(), List.of());
    }
}
