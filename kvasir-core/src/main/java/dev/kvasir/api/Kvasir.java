package dev.kvasir.api;

import java.nio.file.Path;

/** The entry point of the Java facade: loads GGUF models. */
public final class Kvasir {
    private Kvasir() {}

    /** Loads a GGUF model with the default options (in-memory prefix cache, the model's chat template). */
    public static KvasirModel load(Path model) {
        return load(model, LoadOptions.defaults());
    }

    /**
     * Loads a GGUF model. Bad files, a cache directory that cannot be created or a chat template that
     * does not parse throw a {@link dev.kvasir.KvasirException} whose message names the file and the fix.
     */
    public static KvasirModel load(Path model, LoadOptions options) {
        return KvasirModel.open(model, options);
    }
}
