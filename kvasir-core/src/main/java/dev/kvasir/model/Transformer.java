package dev.kvasir.model;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.KvCache;
import dev.kvasir.tensor.VectorOps;
import dev.kvasir.tensor.WeightMatrix;

/**
 * The forward pass of a llama-family decoder. For each token:
 * <pre>
 *   x = token_embd[token]
 *   per block:  x += attn_output · attention(rope(attn_q · norm(x)), rope(attn_k · norm(x)), attn_v · norm(x))
 *               x += ffn_down · (silu(ffn_gate · norm(x)) ⊙ (ffn_up · norm(x)))
 *   logits = output · output_norm(x)
 * </pre>
 * A prompt goes through in chunks of up to {@code chunkSize} tokens as matrix products; a single
 * token (decoding) takes matrix-vector products over buffers kept from the previous call.
 * Not thread-safe: it owns its scratch buffers.
 */
final class Transformer {
    private final ModelConfig config;
    private final ModelWeights weights;
    private final int chunkSize;
    private final Rope rope;
    private final Scratch single;
    private Scratch batch;
    private final float[] finalNorm;
    private final float[] logits;

    Transformer(ModelConfig config, ModelWeights weights, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        this.config = config;
        this.weights = weights;
        this.chunkSize = chunkSize;
        this.rope = new Rope(config.architecture().ropeMode(), config.ropeDimensions(), config.ropeFreqBase(),
                config.ropeFreqScale(), weights.ropeFreqs());
        this.single = new Scratch(config, 1);
        this.finalNorm = new float[config.embeddingLength()];
        this.logits = new float[config.vocabSize()];
    }

    int chunkSize() {
        return chunkSize;
    }

    /**
     * Runs {@code tokens[from .. from+n)} at the cache's next positions, appends them to the cache and
     * returns the last token's logits. The returned array is reused: it is valid until the next call.
     */
    float[] forward(int[] tokens, int from, int n, KvCache cache) {
        checkArguments(tokens, from, n, cache);
        Scratch s = single;
        int lastRow = 0;
        for (int done = 0; done < n; ) {
            int m = Math.min(chunkSize, n - done);
            s = m == 1 ? single : batchScratch(m);
            step(tokens, from + done, m, cache, s);
            done += m;
            lastRow = m - 1;
        }
        VectorOps.rmsnorm(finalNorm, 0, s.x, lastRow * config.embeddingLength(), weights.outputNorm(),
                config.embeddingLength(), config.rmsNormEps());
        weights.output().matvec(finalNorm, logits);
        return logits;
    }

    /** One batch of {@code n} tokens through every block, then committed to the cache. */
    private void step(int[] tokens, int from, int n, KvCache cache, Scratch s) {
        embed(tokens, from, n, s.x);
        rope.prepare(cache.size(), n);
        for (int layer = 0; layer < config.blockCount(); layer++) {
            LayerWeights w = weights.layers().get(layer);
            attention(layer, w, n, cache, s);
            feedForward(w, n, s);
        }
        cache.commit(n);
    }

    private void embed(int[] tokens, int from, int n, float[] x) {
        for (int t = 0; t < n; t++) {
            weights.tokenEmbd().dequantizeRow(tokens[from + t], x, t * config.embeddingLength());
        }
    }

    private void attention(int layer, LayerWeights w, int n, KvCache cache, Scratch s) {
        rmsNormRows(s.x, w.attnNorm(), s.xb, n);
        project(w.attnQ(), s.xb, n, s.q, w.attnQBias());
        project(w.attnK(), s.xb, n, s.k, w.attnKBias());
        project(w.attnV(), s.xb, n, s.v, w.attnVBias());
        rope.rotate(s.q, n, config.headCount(), config.headDim());
        rope.rotate(s.k, n, config.headCountKv(), config.headDim());
        cache.append(layer, s.k, s.v, n);
        cache.attend(layer, s.q, n, config.headCount(), s.att);
        project(w.attnOutput(), s.att, n, s.proj, w.attnOutputBias());
        VectorOps.add(s.x, 0, s.proj, 0, n * config.embeddingLength());
    }

    private void feedForward(LayerWeights w, int n, Scratch s) {
        rmsNormRows(s.x, w.ffnNorm(), s.xb, n);
        project(w.ffnGate(), s.xb, n, s.gate, null);
        project(w.ffnUp(), s.xb, n, s.up, null);
        swiglu(s.gate, s.up, n);
        project(w.ffnDown(), s.gate, n, s.proj, null);
        VectorOps.add(s.x, 0, s.proj, 0, n * config.embeddingLength());
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

    /**
     * gate = silu(gate) ⊙ up, token by token: silu's vector and scalar-tail exp differ in the last bit,
     * so a row must split into vector and tail the same way whatever batch it is in.
     */
    private void swiglu(float[] gate, float[] up, int n) {
        int ffn = config.feedForwardLength();
        for (int t = 0; t < n; t++) {
            VectorOps.silu(gate, t * ffn, ffn);
            VectorOps.mul(gate, t * ffn, up, t * ffn, ffn);
        }
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
        if (!cache.layout().equals(config.kvLayout())) {
            throw new IllegalArgumentException("cache layout " + cache.layout() + " does not fit the model's "
                    + config.kvLayout());
        }
        int total = cache.size() + n;
        if (total > config.contextLength()) {
            throw new KvasirException("prompt has " + total + " tokens but the context is " + config.contextLength()
                    + "; shorten the prompt or use a larger context");
        }
        for (int i = from; i < from + n; i++) {
            if (tokens[i] < 0 || tokens[i] >= config.vocabSize()) {
                throw new KvasirException("token id " + tokens[i] + " is outside the model's vocabulary of "
                        + config.vocabSize() + " tokens");
            }
        }
    }
}
