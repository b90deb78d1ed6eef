package dev.kvasir.workflow;

import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.model.Model;

/** The {@link ModelIdentity} a prompt cache of a loaded model must carry. */
public final class CacheIdentity {
    private CacheIdentity() {}

    /** The same as {@link ModelIdentity#of(Model)}: one definition, so CLI and library caches always match. */
    public static ModelIdentity of(Model model) {
        return ModelIdentity.of(model);
    }
}
