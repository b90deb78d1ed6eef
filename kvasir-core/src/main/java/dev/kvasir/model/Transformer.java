package dev.kvasir.model;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.KvCache;
import dev.kvasir.cache.KvLayout;
import dev.kvasir.cache.Scoring;
import dev.kvasir.tensor.GgmlGelu;
import dev.kvasir.tensor.VectorOps;
import dev.kvasir.tensor.WeightMatrix;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The forward pass of a decoder-only model, for every {@link Family}. For each token:
 * <pre>
 *   x = embeddingScale · token_embd[token]
 *   per block:  q, k, v = attn_q · norm(x), attn_k · norm(x), attn_v · norm(x)     (+ biases)
 *               q, k    = rope(headNorm(q)), rope(headNorm(k))                       (head norms: qwen3; NoPE layers skip rope)
 *               x += residualScale · postNorm(attn_output · attention(q, k, v))     (post norm: gemma)
 *               x += residualScale · postNorm(ffn_down · (silu(ffn_gate · norm(x)) ⊙ (ffn_up · norm(x))))
 *   logits = logitScale · output · output_norm(x)
 * </pre>
 * The family's {@link DecoderSpec} says which optional steps a layer takes; weights that are null
 * (no bias, no head norm, no post norm) are steps the family does not have.
 * A prompt goes through in chunks of up to {@code chunkSize} tokens as matrix products; a single
 * token (decoding) takes matrix-vector products over buffers kept from the previous call. A decode
 * batch runs the next token of several sequences as one matrix product per weight (each weight read
 * once for all of them), with attention per sequence over its own cache.
 * Not thread-safe: it owns its scratch buffers.
 */
final class Transformer {
    private final ModelConfig config;
    private final ModelWeights weights;
    private final DecoderSpec spec;
    private final int chunkSize;
    /** Per layer: its RoPE, or null for a NoPE layer; layers with equal specs share one instance. */
    private final Rope[] layerRopes;
    private final List<Rope> ropes;
    /** Per layer: how attention turns q·k into logits (scale, gemma2's soft-cap). */
    private final Scoring[] scorings;
    /** What a cache must hold, with each layer's kind (gemma's sliding-window layers). */
    private final KvLayout layout;
    private final Scratch single;
    private Scratch batch;
    private final DecodeAttention decodeAttention;
    private final StoredAttention storedAttention;
    /** Positions of the batch being recomputed in place (a composed prompt), or null for appending batches. */
    private int[] storedPositions;
    private final float[] finalNorm;
    private final float[] logits;
    private float[] batchLogits = new float[0];

    Transformer(ModelConfig config, ModelWeights weights, DecoderSpec spec, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        if (spec.layers().size() != config.blockCount()) {
            throw new IllegalArgumentException(spec.layers().size() + " layer specs for " + config.blockCount() + " blocks");
        }
        this.config = config;
        this.weights = weights;
        this.spec = spec;
        this.chunkSize = chunkSize;
        Map<RopeSpec, Rope> byRope = new LinkedHashMap<>();
        this.layerRopes = new Rope[config.blockCount()];
        this.scorings = new Scoring[config.blockCount()];
        this.layout = spec.kvLayout(config);
        for (int l = 0; l < layerRopes.length; l++) {
            LayerSpec layer = spec.layer(l);
            scorings[l] = layer.scoring();
            layerRopes[l] = layer.rope() == null ? null : byRope.computeIfAbsent(layer.rope(), Rope::new);
        }
        this.ropes = List.copyOf(byRope.values());
        this.single = new Scratch(config, 1);
        this.decodeAttention = new DecodeAttention(config);
        this.storedAttention = new StoredAttention(config);
        this.finalNorm = new float[config.embeddingLength()];
        this.logits = new float[config.vocabSize()];
    }

    KvLayout layout() {
        return layout;
    }

    int chunkSize() {
        return chunkSize;
    }

    /**
     * Runs {@code tokens[from .. from+n)} at the cache's next positions, appends them to the cache and
     * returns the last token's logits. The returned array is reused: it is valid until the next call.
     */
    float[] forward(int[] tokens, int from, int n, KvCache cache) {
        return forward(tokens, from, n, cache, 0);
    }

    /** {@link #forward} with every position moved by {@code positionOffset} (RoPE only: the cache is unchanged). */
    float[] forward(int[] tokens, int from, int n, KvCache cache, int positionOffset) {
        checkArguments(tokens, from, n, cache);
        Scratch s = single;
        int lastRow = 0;
        for (int done = 0; done < n; ) {
            int m = Math.min(chunkSize, n - done);
            s = m == 1 ? single : batchScratch(m);
            step(tokens, from + done, m, cache, s, positionOffset);
            done += m;
            lastRow = m - 1;
        }
        VectorOps.rmsnorm(finalNorm, 0, s.x, lastRow * config.embeddingLength(), weights.outputNorm(),
                config.embeddingLength(), config.rmsNormEps());
        weights.output().matvec(finalNorm, logits);
        finishLogits(logits, 0, logits.length);
        return logits;
    }

    /**
     * Runs {@code tokens[t]} as the next token of the sequence in {@code caches[t]}, for every t at
     * once, and returns each one's logits (fresh arrays). Each token's result is bit-identical to
     * {@link #forward} of that token alone, because the matrix kernels are batch-invariant.
     */
    float[][] decode(int[] tokens, KvCache[] caches) {
        checkDecode(tokens, caches);
        int k = tokens.length;
        Scratch s = k == 1 ? single : batchScratch(k);
        embed(tokens, 0, k, s.x);
        int[] positions = new int[k];
        for (int t = 0; t < k; t++) {
            positions[t] = caches[t].size();
        }
        for (Rope rope : ropes) {
            rope.prepare(positions);
        }
        blocks(k, caches, s);
        for (KvCache cache : caches) {
            cache.commit(1);
        }
        return logitsRows(s, k);
    }

    /**
     * Re-evaluates the tokens at positions {@code [from, cache.size())} in place (they are already in
     * the cache, e.g. documents composed from separate caches): all of them through the first
     * {@code selectLayers} layers, then the {@code fraction} whose K/V at the last of those layers moved
     * most from the stored ones, through the rest. Returns how many went through every layer.
     */
    int recompute(KvCache cache, int[] tokens, int from, double fraction, int selectLayers) {
        int n = cache.size() - from;
        if (n <= 0) {
            return 0;
        }
        if (tokens.length < cache.size()) {
            throw new IllegalArgumentException(tokens.length + " token ids for a cache of " + cache.size());
        }
        Scratch s = new Scratch(config, n);
        embed(tokens, from, n, s.x);
        int[] positions = new int[n];
        for (int t = 0; t < n; t++) {
            positions[t] = from + t;
        }
        int early = Math.min(selectLayers, config.blockCount());
        float[] oldK = new float[n * config.kvDim()];
        float[] oldV = new float[n * config.kvDim()];
        storedPositions = positions;
        try {
            prepare(positions);
            for (int layer = 0; layer < early; layer++) {
                if (layer == early - 1) {
                    cache.read(layer, from, n, oldK, oldV);
                }
                layer(layer, n, cache, s);
            }
            if (early == config.blockCount()) {
                return n;
            }
            int[] chosen = Selection.mostChanged(s.k, s.v, oldK, oldV, config.kvDim(), n, fraction);
            int m = chosen.length;
            if (m == 0) {
                return 0;
            }
            int dim = config.embeddingLength();
            Scratch sel = new Scratch(config, m);
            int[] selected = new int[m];
            for (int i = 0; i < m; i++) {
                System.arraycopy(s.x, chosen[i] * dim, sel.x, i * dim, dim);
                selected[i] = from + chosen[i];
            }
            storedPositions = selected;
            prepare(selected);
            for (int layer = early; layer < config.blockCount(); layer++) {
                layer(layer, m, cache, sel);
            }
            return m;
        } finally {
            storedPositions = null;
        }
    }

    private void prepare(int[] positions) {
        for (Rope rope : ropes) {
            rope.prepare(positions);
        }
    }

    private void layer(int layer, int n, KvCache cache, Scratch s) {
        LayerWeights w = weights.layers().get(layer);
        LayerSpec ls = spec.layer(layer);
        attention(layer, w, ls, n, new KvCache[] {cache}, s);
        feedForward(w, ls, n, s);
    }

    /**
     * Turns the (already rotated) keys of {@code n} cached tokens of one layer by {@code delta} more
     * positions: the layer's own RoPE without its magnitude factor (YaRN's mscale was applied once
     * already), nothing on a NoPE layer.
     */
    void shiftKeys(int layer, float[] k, int n, int delta) {
        RopeSpec rope = spec.layer(layer).rope();
        if (rope == null || delta == 0) {
            return;
        }
        Rope turn = Rope.rotationOnly(rope);
        int[] positions = new int[n];
        Arrays.fill(positions, delta);
        turn.prepare(positions);
        turn.rotate(k, n, config.headCountKv(), config.headDim());
    }

    /** One batch of {@code n} tokens through every block, then committed to the cache. */
    private void step(int[] tokens, int from, int n, KvCache cache, Scratch s, int positionOffset) {
        embed(tokens, from, n, s.x);
        for (Rope rope : ropes) {
            rope.prepare(positionOffset + cache.size(), n);
        }
        blocks(n, new KvCache[] {cache}, s);
        cache.commit(n);
    }

    /** {@code caches}: one cache for all n tokens (a prompt), or one per token (a decode batch). */
    private void blocks(int n, KvCache[] caches, Scratch s) {
        for (int layer = 0; layer < config.blockCount(); layer++) {
            LayerWeights w = weights.layers().get(layer);
            LayerSpec ls = spec.layer(layer);
            attention(layer, w, ls, n, caches, s);
            feedForward(w, ls, n, s);
        }
    }

    private float[][] logitsRows(Scratch s, int k) {
        int vocab = config.vocabSize();
        if (batchLogits.length < k * vocab) {
            batchLogits = new float[k * vocab];
        }
        rmsNormRows(s.x, weights.outputNorm(), s.xb, k);
        project(weights.output(), s.xb, k, batchLogits, null);
        finishLogits(batchLogits, 0, k * vocab);
        float[][] out = new float[k][];
        for (int t = 0; t < k; t++) {
            out[t] = Arrays.copyOfRange(batchLogits, t * vocab, (t + 1) * vocab);
        }
        return out;
    }

    /** The family's logit multiplier and final soft-capping (ggml_scale, then gemma2's tanh cap). */
    private void finishLogits(float[] l, int from, int n) {
        if (spec.logitScale() != 1f) {
            VectorOps.scale(l, from, n, spec.logitScale());
        }
        float cap = spec.finalLogitSoftCap();
        if (cap != 0f) {
            for (int i = from; i < from + n; i++) {
                l[i] = (float) Math.tanh(l[i] * (1f / cap)) * cap;
            }
        }
    }

    private void embed(int[] tokens, int from, int n, float[] x) {
        for (int t = 0; t < n; t++) {
            weights.tokenEmbd().dequantizeRow(tokens[from + t], x, t * config.embeddingLength());
        }
        if (spec.embeddingScale() != 1f) {
            VectorOps.scale(x, 0, n * config.embeddingLength(), spec.embeddingScale());
        }
    }

    private void attention(int layer, LayerWeights w, LayerSpec ls, int n, KvCache[] caches, Scratch s) {
        rmsNormRows(s.x, w.attnNorm(), s.xb, n);
        project(w.attnQ(), s.xb, n, s.q, w.attnQBias());
        project(w.attnK(), s.xb, n, s.k, w.attnKBias());
        project(w.attnV(), s.xb, n, s.v, w.attnVBias());
        if (w.attnQNorm() != null) {
            headNorm(s.q, w.attnQNorm(), n * config.headCount());
        }
        if (w.attnKNorm() != null) {
            headNorm(s.k, w.attnKNorm(), n * config.headCountKv());
        }
        Rope rope = layerRopes[layer];
        if (rope != null) {
            rope.rotate(s.q, n, config.headCount(), config.headDim());
            rope.rotate(s.k, n, config.headCountKv(), config.headDim());
        }
        if (ls.queryScale() != 1f) {
            VectorOps.scale(s.q, 0, n * config.queryDim(), ls.queryScale()); // gemma's ggml_scale(Qcur, f_attention_scale)
        }
        if (storedPositions != null) {
            storedAttention.run(layer, caches[0], storedPositions, scorings[layer], s);
        } else if (caches.length == 1) {
            caches[0].append(layer, s.k, s.v, n);
            caches[0].attend(layer, s.q, n, config.headCount(), scorings[layer], s.att);
        } else {
            decodeAttention.run(layer, caches, scorings[layer], s);
        }
        project(w.attnOutput(), s.att, n, s.proj, w.attnOutputBias());
        residual(s, w.attnPostNorm(), ls.residualScale(), n);
    }

    private void feedForward(LayerWeights w, LayerSpec ls, int n, Scratch s) {
        rmsNormRows(s.x, w.ffnNorm(), s.xb, n);
        project(w.ffnGate(), s.xb, n, s.gate, null);
        project(w.ffnUp(), s.xb, n, s.up, null);
        switch (ls.activation()) {
            case SILU -> swiglu(s.gate, s.up, n);
            case GELU -> GgmlGelu.geglu(s.gate, 0, s.up, 0, n * config.feedForwardLength());
        }
        project(w.ffnDown(), s.gate, n, s.proj, null);
        residual(s, w.ffnPostNorm(), ls.residualScale(), n);
    }

    /** x += scale · postNorm(proj): the post norm only when the family has one, the scale only when not 1. */
    private void residual(Scratch s, float[] postNorm, float scale, int n) {
        if (postNorm != null) {
            rmsNormRows(s.proj, postNorm, s.proj, n);
        }
        if (scale != 1f) {
            VectorOps.scale(s.proj, 0, n * config.embeddingLength(), scale);
        }
        VectorOps.add(s.x, 0, s.proj, 0, n * config.embeddingLength());
    }

    /** RMS norm of each of {@code rows} heads of headDim values, in place, with the shared gain (qwen3's Q/K norm). */
    private void headNorm(float[] x, float[] weight, int rows) {
        int hd = config.headDim();
        for (int r = 0; r < rows; r++) {
            VectorOps.rmsnorm(x, r * hd, x, r * hd, weight, hd, config.rmsNormEps());
        }
    }

    /** out = w · in for each of the n tokens (+ bias when there is one). */
    private static void project(WeightMatrix w, float[] in, int n, float[] out, float[] bias) {
        if (n == 1) {
            w.matvec(in, out);
        } else {
            w.matmul(in, n, out);
        }
        if (bias != null) {
            for (int t = 0; t < n; t++) {
                VectorOps.add(out, t * bias.length, bias, 0, bias.length);
            }
        }
    }

    private void rmsNormRows(float[] x, float[] weight, float[] out, int n) {
        int dim = config.embeddingLength();
        for (int t = 0; t < n; t++) {
            VectorOps.rmsnorm(out, t * dim, x, t * dim, weight, dim, config.rmsNormEps());
        }
    }

    /** gate = silu(gate) ⊙ up for n tokens; element-wise (silu is scalar), so a token's bits never depend on the batch. */
    private void swiglu(float[] gate, float[] up, int n) {
        int elements = n * config.feedForwardLength();
        VectorOps.silu(gate, 0, elements);
        VectorOps.mul(gate, 0, up, 0, elements);
    }

    /** Buffers for m tokens; sized by the prompts actually seen, so short prompts never pay for a full chunk. */
    private Scratch batchScratch(int m) {
        if (batch == null || batch.capacity < m) {
            batch = new Scratch(config, m);
        }
        return batch;
    }

    private void checkArguments(int[] tokens, int from, int n, KvCache cache) {
        if (n < 1 || from < 0 || from + n > tokens.length) {
            throw new IllegalArgumentException("bad token range: from " + from + ", n " + n + " of " + tokens.length);
        }
        checkCache(cache, n);
        for (int i = from; i < from + n; i++) {
            checkToken(tokens[i]);
        }
    }

    private void checkDecode(int[] tokens, KvCache[] caches) {
        if (tokens.length < 1 || tokens.length != caches.length) {
            throw new IllegalArgumentException("a decode batch needs one token per cache: " + tokens.length
                    + " tokens, " + caches.length + " caches");
        }
        Set<KvCache> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int t = 0; t < tokens.length; t++) {
            if (!distinct.add(caches[t])) {
                throw new IllegalArgumentException("cache " + t + " appears twice in one decode batch");
            }
            checkCache(caches[t], 1);
            checkToken(tokens[t]);
        }
    }

    private void checkCache(KvCache cache, int n) {
        if (!cache.layout().equals(layout)) {
            throw new IllegalArgumentException("cache layout " + cache.layout() + " does not fit the model's " + layout);
        }
        int total = cache.size() + n;
        if (total > config.contextLength()) {
            throw new KvasirException("prompt has " + total + " tokens but the context is " + config.contextLength()
                    + "; shorten the prompt or use a larger context");
        }
    }

    private void checkToken(int token) {
        if (token < 0 || token >= config.vocabSize()) {
            throw new KvasirException("token id " + token + " is outside the model's vocabulary of "
                    + config.vocabSize() + " tokens");
        }
    }
}
