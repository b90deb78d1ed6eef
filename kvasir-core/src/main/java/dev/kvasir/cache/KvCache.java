package dev.kvasir.cache;

/**
 * The attention state of one sequence: per layer, the keys (already rotated by RoPE) and values of
 * every position the model has processed.
 *
 * <p>One forward step over a batch of {@code n} tokens at positions {@code size() .. size()+n-1}
 * goes: for each layer, {@link #append} the batch's K/V, then {@link #attend} with the batch's
 * queries; after the last layer, {@link #commit} the batch. The cache computes attention itself so
 * that each kind (full, rotating window, quantized) attends over its own storage without copying.
 */
public interface KvCache {

    KvLayout layout();

    /** Committed positions: the number of tokens this cache represents, and the position of the next one. */
    int size();

    /**
     * Stores K and V of a pending batch of {@code n} tokens for one layer.
     * {@code k} and {@code v} hold {@code n × kvHeads × headDim} floats, token-major.
     */
    void append(int layer, float[] k, float[] v, int n);

    /**
     * Causal scaled dot-product attention for the {@code n} pending tokens of one layer: query token
     * {@code i} sees every stored position up to and including {@code size() + i} (on a sliding-window
     * layer only the last {@link KvLayout#window} of them).
     * {@code q} and {@code out} hold {@code n × heads × headDim} floats, token-major; query head
     * {@code h} uses KV head {@code h / (heads / kvHeads)}; scores are scaled by {@code 1/sqrt(headDim)}.
     */
    void attend(int layer, float[] q, int n, int heads, float[] out);

    /**
     * {@link #attend(int, float[], int, int, float[])} with the model's own {@link Scoring} (Gemma
     * pre-scales its queries and soft-caps the logits). Query token {@code i} sees the stored positions
     * its layer's {@link LayerKind} allows. Caches that only know the standard scoring refuse others.
     */
    default void attend(int layer, float[] q, int n, int heads, Scoring scoring, float[] out) {
        if (!scoring.equals(Scoring.standard(layout().headDim()))) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " supports only the standard attention scoring");
        }
        attend(layer, q, n, heads, out);
    }

    /** Makes the pending batch part of the cache, once every layer has appended it. */
    void commit(int n);

    /** Whether the last {@code n} committed tokens can be removed. */
    boolean canTrim(int n);

    /** Removes the last {@code n} committed tokens; returns how many were removed. */
    int trim(int n);

    /** Bytes of K/V data held. */
    long bytes();

    /** An independent copy: changes to either never show in the other. */
    KvCache copy();

    /**
     * Reads K and V of committed positions {@code [pos, pos+n)} of one layer, decoded to floats,
     * token-major ({@code n × kvHeads × headDim} each). Caches that keep every position support it;
     * composition ({@code dev.kvasir.compose}) copies document caches with it.
     *
     * @throws UnsupportedOperationException when this kind of cache does not keep those positions
     */
    default void read(int layer, int pos, int n, float[] k, float[] v) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot read stored positions");
    }

    /**
     * Replaces K and V of committed positions {@code [pos, pos+n)} of one layer: a selective
     * recompute writes the new values of tokens it re-evaluated in a composed prompt.
     *
     * @throws UnsupportedOperationException when this kind of cache cannot rewrite stored positions
     */
    default void overwrite(int layer, int pos, float[] k, float[] v, int n) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot rewrite stored positions");
    }

    /**
     * Attention for {@code n} queries at committed positions {@code pos ..}: query {@code i} sees
     * positions {@code 0 .. pos+i} (those its layer's {@link LayerKind} allows), with the same
     * arithmetic and {@code scoring} as {@link #attend} (so a query gets the
     * same bits whether it runs here or as a pending token).
     *
     * @throws UnsupportedOperationException when this kind of cache does not keep those positions
     */
    default void attendAt(int layer, int pos, float[] q, int n, int heads, Scoring scoring, float[] out) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot attend at stored positions");
    }
}
