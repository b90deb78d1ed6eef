package dev.kvasir.model;

import dev.kvasir.KvasirException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The GGUF {@code general.architecture} values this engine runs, each with the {@link Family} file
 * that maps it onto the shared decoder blocks.
 */
public enum Architecture {
    LLAMA("llama", new LlamaFamily()),
    QWEN2("qwen2", new Qwen2Family()),
    QWEN3("qwen3", new Qwen3Family()),
    SMOLLM3("smollm3", new SmolLm3Family()),
    GRANITE("granite", new GraniteFamily()),
    PHI3("phi3", new Phi3Family()),
    GEMMA2("gemma2", new Gemma2Family()),
    GEMMA3("gemma3", new Gemma3Family());

    private final String ggufName;
    private final Family family;

    Architecture(String ggufName, Family family) {
        this.ggufName = ggufName;
        this.family = family;
    }

    /** The name used in GGUF metadata, also the prefix of its hyper-parameter keys. */
    public String ggufName() {
        return ggufName;
    }

    public RopeMode ropeMode() {
        return family.ropeMode();
    }

    Family family() {
        return family;
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

    public static String supportedNames() {
        return Arrays.stream(values()).map(Architecture::ggufName).collect(Collectors.joining(", "));
    }
}
