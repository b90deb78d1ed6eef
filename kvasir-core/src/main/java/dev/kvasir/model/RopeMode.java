package dev.kvasir.model;

/** Which head values RoPE rotates together, as ggml's rope modes define it. */
public enum RopeMode {
    /** ggml's "normal" mode: pairs (x[2i], x[2i+1]). */
    NORMAL,
    /** GPT-NeoX style: pairs (x[i], x[i + nRot/2]). */
    NEOX
}
