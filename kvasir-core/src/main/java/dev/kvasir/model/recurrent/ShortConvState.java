package dev.kvasir.model.recurrent;

import java.util.Arrays;

/**
 * What a short causal convolution remembers between tokens: the last {@code kernel - 1} inputs of
 * every channel, oldest first, laid out as llama.cpp's conv state ({@code [kernel - 1, channels]}:
 * {@code history[c * (kernel - 1) + i]}). Updated in place by {@link ShortConv}; {@link #copy()} is
 * a snapshot.
 */
public record ShortConvState(int channels, int kernel, float[] history) {
    public ShortConvState {
        if (kernel < 1 || channels < 1 || history.length != channels * (kernel - 1)) {
            throw new IllegalArgumentException("conv state of " + history.length + " floats does not fit "
                    + channels + " channels with kernel " + kernel);
        }
    }

    /** The state before the first token: llama.cpp starts a sequence from zeros. */
    public static ShortConvState zeros(int channels, int kernel) {
        return new ShortConvState(channels, kernel, new float[channels * (kernel - 1)]);
    }

    public ShortConvState copy() {
        return new ShortConvState(channels, kernel, history.clone());
    }

    public long bytes() {
        return 4L * history.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShortConvState s && s.channels == channels && s.kernel == kernel
                && Arrays.equals(s.history, history);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * channels + kernel) + Arrays.hashCode(history);
    }

    @Override
    public String toString() {
        return "ShortConvState[channels=" + channels + ", kernel=" + kernel + "]";
    }
}
