package dev.kvasir.model.recurrent;

/**
 * Everything a linear-attention layer carries from one token to the next, whatever the sequence
 * length: the conv history and the delta-net matrices. A prompt cache stores copies of it at chunk
 * boundaries, since it cannot be trimmed back token by token.
 */
public record LinearAttentionState(ShortConvState conv, DeltaNetState delta) {

    public static LinearAttentionState zeros(LinearAttentionShape s) {
        return new LinearAttentionState(ShortConvState.zeros(s.convChannels(), s.convKernel()),
                DeltaNetState.zeros(s.vHeads(), s.headDim()));
    }

    public LinearAttentionState copy() {
        return new LinearAttentionState(conv.copy(), delta.copy());
    }

    /** F32 bytes of one snapshot: (kernel - 1) * channels + vHeads * headDim^2 floats. */
    public long bytes() {
        return conv.bytes() + delta.bytes();
    }
}
