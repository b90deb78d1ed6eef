package dev.kvasir.cache;

/** The shape of a model's attention state: what a cache must hold per token. */
public record KvLayout(int layers, int kvHeads, int headDim) {
    public KvLayout {
        if (layers <= 0 || kvHeads <= 0 || headDim <= 0) {
            throw new IllegalArgumentException("invalid KV layout " + layers + "x" + kvHeads + "x" + headDim);
        }
    }

    /** Floats of K (or of V) per token and layer. */
    public int kvDim() {
        return kvHeads * headDim;
    }
}
