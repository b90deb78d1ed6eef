package dev.kvasir.cache;

import dev.kvasir.model.Model;
import dev.kvasir.model.ModelConfig;
import dev.kvasir.model.RopeMode;

/**
 * What a cache file must match to be used with a model: the model file's fingerprint, and the
 * settings that decide the meaning of stored keys (layout, RoPE). Keys are stored after RoPE, so a
 * different RoPE base or type would silently corrupt attention; they are checked, not trusted.
 *
 * @param fingerprint  {@code GgufFile.fingerprint()} of the model file
 * @param architecture {@code general.architecture}, e.g. "llama"
 * @param ropeType     "norm" or "neox": llama.cpp's names of the {@link dev.kvasir.model.RopeMode}s
 */
public record ModelIdentity(String fingerprint, String architecture, KvLayout layout, float ropeFreqBase, String ropeType) {
    public static ModelIdentity of(Model model) {
        ModelConfig c = model.config();
        return new ModelIdentity(model.gguf().fingerprint(), c.architecture().ggufName(), model.kvLayout(), c.ropeFreqBase(),
                c.architecture().ropeMode() == RopeMode.NEOX ? "neox" : "norm");
    }
}
