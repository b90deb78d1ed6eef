package dev.kvasir.cache;

/**
 * How attention turns a query·key dot product into a softmax logit, as ggml's flash attention does:
 * {@code s = dot · scale}, and with a logit soft-cap {@code c > 0} (Gemma 2)
 * {@code s = c · tanh(dot · (scale / c))}, the division folded into the scale first exactly as ggml folds it.
 *
 * @param scale   the factor on the dot product: {@code 1/sqrt(headDim)} for most models, 1 when the
 *                model has already scaled its queries (Gemma)
 * @param softcap 0 for none
 */
public record Scoring(float scale, float softcap) {
    public Scoring {
        if (!(scale > 0) || !(softcap >= 0) || Float.isInfinite(softcap)) {
            throw new IllegalArgumentException("attention scale must be positive and soft-cap finite and >= 0: "
                    + scale + ", " + softcap);
        }
    }

    /** {@code 1/sqrt(headDim)}, no soft-cap: the transformer default. */
    public static Scoring standard(int headDim) {
        return new Scoring(1f / (float) Math.sqrt(headDim), 0f);
    }

    /** The factor ggml multiplies the dot product by before any soft-cap. */
    float dotFactor() {
        return softcap == 0f ? scale : scale / softcap;
    }
}
