package dev.kvasir.model.recurrent;

/**
 * The depthwise causal convolution of a gated delta-net layer ({@code blk.N.ssm_conv1d}, ggml shape
 * {@code [kernel, channels]}), as ggml_ssm_conv computes it: each channel's output at token t is the
 * dot product of its kernel with that channel's last {@code kernel} inputs (the carried history,
 * then this chunk's tokens). No activation here; Qwen3.5 applies SiLU afterwards.
 */
public final class ShortConv {
    private final int channels;
    private final int kernel;
    private final float[] ssmConv1d;

    /** {@code ssmConv1d[c * kernel + i]} weighs the input {@code kernel - 1 - i} tokens back. */
    public ShortConv(int channels, int kernel, float[] ssmConv1d) {
        if (ssmConv1d.length != channels * kernel) {
            throw new IllegalArgumentException("ssm_conv1d has " + ssmConv1d.length + " floats, expected "
                    + kernel + " x " + channels);
        }
        this.channels = channels;
        this.kernel = kernel;
        this.ssmConv1d = ssmConv1d;
    }

    public int channels() {
        return channels;
    }

    public int kernel() {
        return kernel;
    }

    /**
     * Convolves {@code tokens} rows of {@code channels} inputs into {@code out} (same layout) and
     * advances {@code state} past them, so a sequence split into chunks gives the same outputs and
     * final state as one pass.
     */
    public void apply(float[] x, int tokens, float[] out, ShortConvState state) {
        if (state.channels() != channels || state.kernel() != kernel) {
            throw new IllegalArgumentException(state + " does not belong to a conv of " + channels
                    + " channels with kernel " + kernel);
        }
        int past = kernel - 1;
        float[] window = new float[past + tokens];
        for (int c = 0; c < channels; c++) {
            // The channel's history followed by this chunk: the sliding window ggml_ssm_conv reads.
            System.arraycopy(state.history(), c * past, window, 0, past);
            for (int t = 0; t < tokens; t++) {
                window[past + t] = x[t * channels + c];
            }
            for (int t = 0; t < tokens; t++) {
                float sum = 0;
                for (int i = 0; i < kernel; i++) {
                    sum += window[t + i] * ssmConv1d[c * kernel + i];
                }
                out[t * channels + c] = sum;
            }
            System.arraycopy(window, tokens, state.history(), c * past, past);
        }
    }
}
