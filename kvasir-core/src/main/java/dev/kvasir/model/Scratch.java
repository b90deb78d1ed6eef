package dev.kvasir.model;

/**
 * Activation buffers for a batch of up to {@code capacity} tokens, token-major, reused across
 * forward calls so that decoding allocates nothing.
 */
final class Scratch {
    final int capacity;
    /** The residual stream. */
    final float[] x;
    /** x after RMSNorm: the input of the projections. */
    final float[] xb;
    final float[] q;
    final float[] k;
    final float[] v;
    /** Attention output, all heads concatenated. */
    final float[] att;
    /** Output of attn_output / ffn_down, added to the residual stream. */
    final float[] proj;
    /** ffn_gate output, then SwiGLU's result. */
    final float[] gate;
    final float[] up;

    Scratch(ModelConfig c, int capacity) {
        this.capacity = capacity;
        x = new float[capacity * c.embeddingLength()];
        xb = new float[capacity * c.embeddingLength()];
        q = new float[capacity * c.queryDim()];
        k = new float[capacity * c.kvDim()];
        v = new float[capacity * c.kvDim()];
        att = new float[capacity * c.queryDim()];
        proj = new float[capacity * c.embeddingLength()];
        gate = new float[capacity * c.feedForwardLength()];
        up = new float[capacity * c.feedForwardLength()];
    }
}
