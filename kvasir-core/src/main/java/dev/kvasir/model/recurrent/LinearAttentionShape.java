package dev.kvasir.model.recurrent;

/**
 * The sizes of a Qwen3.5 gated delta-net layer, from the GGUF keys llama.cpp reads:
 * {@code ssm.group_count} key heads, {@code ssm.time_step_rank} value heads, {@code ssm.state_size}
 * per head (keys and values alike; llama.cpp asserts they agree), {@code ssm.conv_kernel} taps, and
 * the RMS epsilon that both the L2 norm of q/k and the output norm use.
 */
public record LinearAttentionShape(int embd, int kHeads, int vHeads, int headDim, int convKernel, float eps) {
    public LinearAttentionShape {
        if (kHeads < 1 || vHeads % kHeads != 0) {
            throw new IllegalArgumentException("ssm.time_step_rank " + vHeads
                    + " must be a multiple of ssm.group_count " + kHeads);
        }
        if (headDim < 1 || convKernel < 1 || embd < 1) {
            throw new IllegalArgumentException("bad linear attention shape " + embd + "/" + headDim + "/" + convKernel);
        }
    }

    public int keyDim() {
        return kHeads * headDim;
    }

    public int valueDim() {
        return vHeads * headDim;
    }

    /** Rows of {@code attn_qkv} and channels of {@code ssm_conv1d}: q, then k, then v. */
    public int convChannels() {
        return 2 * keyDim() + valueDim();
    }
}
