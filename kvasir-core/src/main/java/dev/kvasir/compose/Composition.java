package dev.kvasir.compose;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.KvCache;
import dev.kvasir.cache.KvLayout;
import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.model.Model;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one prompt cache from separately cached pieces: {@code [prefix][doc A][doc B]...}, where each
 * document's cache was computed after the same prefix (so its own positions start where the prefix
 * ends). A document placed later is moved to its new positions by re-rotating its keys
 * ({@link Model#shiftKeys}); values do not depend on position and are copied as they are.
 *
 * <p>Plain concatenation leaves each document blind to the ones before it. A selective recompute
 * (CacheBlend) re-evaluates a fraction of the document tokens in the composed context: all document
 * tokens through the first {@link #SELECT_LAYERS} layers, then only the tokens whose values there
 * deviate most from the cached ones ({@link Model#recompute}). At fraction 1 every document token is
 * recomputed and the cache equals a full prefill bit for bit.
 */
public final class Composition {
    /** Layers evaluated for every document token to measure how far each cached token is off. */
    public static final int SELECT_LAYERS = 2;

    private Composition() {
    }

    /** The composed cache and what it took. */
    public record Result(PromptCache cache, int prefixTokens, int[] documentTokens, int recomputedTokens,
                         double composeMillis, double recomputeMillis) {
    }

    /**
     * Composes {@code prefix} and {@code documents} (each a cache of the prefix followed by one
     * document) and recomputes {@code fraction} (0 to 1) of the document tokens. The sources are not
     * changed.
     *
     * @throws KvasirException (one line, naming the file) when a cache belongs to another model, has
     *                         another layout or cache kind, or does not start with the prefix
     */
    public static Result compose(Model model, PromptCache prefix, List<PromptCache> documents, double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new KvasirException("recompute fraction " + fraction + " is outside 0..1; give a percentage from 0 to 100");
        }
        if (documents.isEmpty()) {
            throw new KvasirException("nothing to compose: give at least one document cache");
        }
        ModelIdentity identity = ModelIdentity.of(model);
        check(prefix, identity, prefix);
        int[] prefixIds = prefix.tokens();
        for (PromptCache doc : documents) {
            check(doc, identity, prefix);
            int[] ids = doc.tokens();
            if (ids.length <= prefixIds.length || !Arrays.equals(ids, 0, prefixIds.length, prefixIds, 0, prefixIds.length)) {
                throw new KvasirException(name(doc) + ": does not continue the prefix " + name(prefix)
                        + " (its first " + prefixIds.length + " tokens differ or it holds no document after them); "
                        + "cache the document with 'kvasir cache-prompt --after " + name(prefix) + "'");
            }
        }
        long start = System.nanoTime();
        PromptCache out = PromptCache.create(identity, prefix.options());
        KvLayout layout = identity.layout();
        copy(model, prefix.cache(), 0, prefixIds.length, 0, out.cache(), layout);
        out.accepted(prefixIds);
        int[] docTokens = new int[documents.size()];
        for (int d = 0; d < documents.size(); d++) {
            PromptCache doc = documents.get(d);
            int n = doc.size() - prefixIds.length;
            int delta = out.size() - prefixIds.length;
            copy(model, doc.cache(), prefixIds.length, n, delta, out.cache(), layout);
            out.accepted(Arrays.copyOfRange(doc.tokens(), prefixIds.length, doc.size()));
            docTokens[d] = n;
        }
        long composed = System.nanoTime();
        int recomputed = 0;
        if (fraction > 0) {
            recomputed = model.recompute(out.cache(), out.tokens(), prefixIds.length, fraction, SELECT_LAYERS);
        }
        long done = System.nanoTime();
        return new Result(out, prefixIds.length, docTokens, recomputed, (composed - start) / 1e6, (done - composed) / 1e6);
    }

    /** Appends positions {@code [from, from+n)} of {@code src} to {@code dst}, keys turned by {@code delta} positions. */
    private static void copy(Model model, KvCache src, int from, int n, int delta, KvCache dst, KvLayout layout) {
        int step = 256; // bounded buffers for long documents
        float[] k = new float[step * layout.kvDim()];
        float[] v = new float[step * layout.kvDim()];
        for (int done = 0; done < n; done += step) {
            int m = Math.min(step, n - done);
            for (int layer = 0; layer < layout.layers(); layer++) {
                src.read(layer, from + done, m, k, v);
                if (delta != 0) {
                    model.shiftKeys(layer, k, m, delta);
                }
                dst.append(layer, k, v, m);
            }
            dst.commit(m);
        }
    }

    private static void check(PromptCache cache, ModelIdentity model, PromptCache prefix) {
        if (!cache.model().equals(model)) {
            throw new KvasirException(name(cache) + ": made for another model or layout (fingerprint "
                    + cache.model().fingerprint() + ", this model " + model.fingerprint() + "); compose caches of one model");
        }
        if (!cache.options().equals(prefix.options())) {
            throw new KvasirException(name(cache) + ": its KV cache kind " + describe(cache) + " differs from the prefix's "
                    + describe(prefix) + "; cache every piece with the same --kv-type");
        }
        var kind = cache.options().kind();
        if (kind != dev.kvasir.cache.CacheOptions.Kind.FULL && kind != dev.kvasir.cache.CacheOptions.Kind.QUANTIZED) {
            throw new KvasirException(name(cache) + ": a " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " cache has dropped positions and cannot be composed; cache the pieces with a full cache");
        }
    }

    private static String describe(PromptCache cache) {
        var o = cache.options();
        return o.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + o.type()
                + (o.bits() > 0 ? " " + o.bits() + "-bit" : "");
    }

    private static String name(PromptCache cache) {
        Path file = cache.file();
        return file == null ? "(in-memory cache)" : file.toString();
    }
}
