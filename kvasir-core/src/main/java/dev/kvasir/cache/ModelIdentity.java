package dev.kvasir.cache;

/**
 * What a cache file must match to be used with a model: the model file's fingerprint, and the
 * settings that decide the meaning of stored keys (layout, RoPE). Keys are stored after RoPE, so a
 * different RoPE base or type would silently corrupt attention; they are checked, not trusted.
 *
 * @param fingerprint  {@code GgufFile.fingerprint()} of the model file
 * @param architecture {@code general.architecture}, e.g. "llama"
 * @param ropeType     "norm" or "neox" (llama.cpp's names)
 */
public record ModelIdentity(String fingerprint, String architecture, KvLayout layout, float ropeFreqBase, String ropeType) {
}
