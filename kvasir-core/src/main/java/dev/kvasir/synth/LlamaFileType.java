package dev.kvasir.synth;

import dev.kvasir.tensor.GgmlType;

/** llama.cpp's {@code general.file_type} (enum llama_ftype) for a model whose matrices are all one type. */
final class LlamaFileType {
    private LlamaFileType() {}

    static int of(GgmlType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q8_0 -> 7;
            case Q4_K -> 15; // Q4_K_M is the usual name; llama.cpp only prints it
            case Q5_K -> 17; // Q5_K_M
            case Q6_K -> 18;
            case BF16 -> 32;
            default -> throw new IllegalArgumentException("no llama.cpp file type for " + type);
        };
    }
}
