package dev.kvasir.workflow;

import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.model.Model;
import dev.kvasir.model.ModelConfig;
import dev.kvasir.model.RopeMode;

/** The {@link ModelIdentity} a prompt cache of a loaded model must carry. */
public final class CacheIdentity {
    private CacheIdentity() {}

    public static ModelIdentity of(Model model) {
        ModelConfig c = model.config();
        String rope = c.architecture().ropeMode() == RopeMode.NEOX ? "neox" : "norm";
        return new ModelIdentity(model.gguf().fingerprint(), c.architecture().ggufName(), c.kvLayout(),
                c.ropeFreqBase(), rope);
    }
}
