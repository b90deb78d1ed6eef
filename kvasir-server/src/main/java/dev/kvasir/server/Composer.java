package dev.kvasir.server;

import dev.kvasir.cache.PromptCache;
import dev.kvasir.compose.Composition;
import dev.kvasir.compose.Segments;
import dev.kvasir.generate.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the cache of a {@code kvasir_compose} request: the prefix from the prefix cache, each
 * document's segment from the {@link SegmentStore} (computed after the prefix on a miss), composed
 * and partly recomputed on the model thread. The composed cache is the request's alone: it is never
 * checked into the prefix cache, whose entries stay exact.
 */
final class Composer {
    private final Generator generator;
    private final Engine engine;
    private final DecodeScheduler scheduler;
    private final SegmentStore store;
    private final ServerMetrics metrics;

    Composer(Generator generator, Engine engine, DecodeScheduler scheduler, SegmentStore store, ServerMetrics metrics) {
        this.metrics = metrics;
        this.generator = generator;
        this.engine = engine;
        this.scheduler = scheduler;
        this.store = store;
    }

    /** The composed prompt's ids: prefix (with BOS), each document, then the prompt (no BOS: they follow). */
    int[] tokens(ComposeSpec spec, String prompt) {
        int[] ids = prefixIds(spec);
        for (String doc : spec.documents()) {
            ids = Segments.join(ids, Segments.continuation(generator, doc));
        }
        int[] question = Segments.continuation(generator, prompt);
        if (question.length == 0) {
            throw ApiException.invalid("prompt", "with '" + ComposeSpec.FIELD + "' the prompt follows the documents and must not be empty");
        }
        return Segments.join(ids, question);
    }

    /** A cache of everything before the prompt's own tokens, composed from cached pieces. */
    PrefixCache.Lease lease(ComposeSpec spec) {
        int[] prefixIds = prefixIds(spec);
        if (prefixIds.length == 0) {
            throw ApiException.invalid(ComposeSpec.FIELD + ".prefix", "the prefix is empty and the model adds no BOS token;"
                    + " give a non-empty '" + ComposeSpec.FIELD + ".prefix'");
        }
        Engine.Prefilled prefix = engine.prefill(prefixIds);
        PromptCache prefixCache = prefix.cache();
        engine.cache().checkin(prefixCache.fork()); // an exact prefix: worth keeping for the next request
        List<PromptCache> docs = new ArrayList<>();
        for (String doc : spec.documents()) {
            int[] ids = Segments.after(prefixIds, generator, doc);
            String key = SegmentStore.key(engine.identity(), ids);
            PromptCache segment = store.get(key);
            metrics.segment(segment != null);
            if (segment == null) {
                segment = prefixCache.fork();
                scheduler.prefill(ids, prefixIds.length, ids.length - prefixIds.length, segment.cache());
                segment.accepted(Arrays.copyOfRange(ids, prefixIds.length, ids.length));
                store.put(key, segment);
            }
            docs.add(segment);
        }
        Composition.Result r = scheduler.exclusive(
                () -> Composition.compose(generator.model(), prefixCache, docs, spec.fraction()));
        return new PrefixCache.Lease(r.cache(), r.cache().size(), "compose");
    }

    SegmentStore store() {
        return store;
    }

    private int[] prefixIds(ComposeSpec spec) {
        return generator.tokenize(spec.prefix());
    }

}
