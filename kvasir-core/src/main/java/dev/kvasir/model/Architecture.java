package dev.kvasir.model;

import dev.kvasir.KvasirException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The GGUF {@code general.architecture} values this engine runs. Both are the same decoder
 * (RMSNorm, RoPE, GQA attention, SwiGLU); they differ in how RoPE pairs head values and qwen2 adds
 * biases to Q/K/V (those are loaded when present, whatever the architecture).
 */
public enum Architecture {
    /** convert_hf_to_gguf permutes llama's Q/K weights so that RoPE can rotate adjacent pairs. */
    LLAMA("llama", RopeMode.NORMAL),
    /** Qwen2's Q/K weights are stored unpermuted, so rotation pairs are half a head apart. */
    QWEN2("qwen2", RopeMode.NEOX);

    private final String ggufName;
    private final RopeMode ropeMode;

    Architecture(String ggufName, RopeMode ropeMode) {
        this.ggufName = ggufName;
        this.ropeMode = ropeMode;
    }

    /** The name used in GGUF metadata, also the prefix of its hyper-parameter keys. */
    public String ggufName() {
        return ggufName;
    }

    public RopeMode ropeMode() {
        return ropeMode;
    }

    /** The architecture named {@code name} in {@code file}, or a one-line error listing the supported ones. */
    public static Architecture of(String name, Path file) {
        for (Architecture a : values()) {
            if (a.ggufName.equals(name)) {
                return a;
            }
        }
        throw new KvasirException(file + ": model architecture '" + name
                + "' is not supported (supported: " + supportedNames() + "); use a model of a supported architecture");
    }

    static String supportedNames() {
        return Arrays.stream(values()).map(Architecture::ggufName).collect(Collectors.joining(", "));
    }
}
