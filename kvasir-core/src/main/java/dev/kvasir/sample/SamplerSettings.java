package dev.kvasir.sample;

/**
 * How the next token is chosen from the logits. Defaults and meanings follow llama.cpp's
 * {@code common_params_sampling}: a filter set to its "disabled" value is skipped.
 *
 * @param temperature      divides the logits before the draw; {@code <= 0} picks the most likely token (greedy)
 * @param topK             keep the K most likely tokens; {@code <= 0} disables
 * @param topP             keep the smallest set of most likely tokens whose probability reaches P; 1 disables
 * @param minP             drop tokens less likely than {@code minP × p(most likely)}; 0 disables
 * @param repeatPenalty    divides positive (multiplies negative) logits of recently seen tokens; 1 disables
 * @param repeatLastN      how many recent tokens the penalties look at; 0 disables them, negative means all
 * @param frequencyPenalty subtracted from a seen token's logit once per occurrence; 0 disables
 * @param presencePenalty  subtracted once from the logit of any seen token; 0 disables
 * @param seed             RNG seed; {@link #RANDOM_SEED} picks one at random (the sampler records which)
 */
public record SamplerSettings(
        float temperature,
        int topK,
        float topP,
        float minP,
        float repeatPenalty,
        int repeatLastN,
        float frequencyPenalty,
        float presencePenalty,
        long seed) {

    /** llama.cpp's LLAMA_DEFAULT_SEED: "choose a seed at random". */
    public static final long RANDOM_SEED = 0xFFFF_FFFFL;

    public SamplerSettings {
        if (Float.isNaN(temperature) || Float.isNaN(topP) || Float.isNaN(minP) || Float.isNaN(repeatPenalty)
                || Float.isNaN(frequencyPenalty) || Float.isNaN(presencePenalty)) {
            throw new IllegalArgumentException("sampler settings must not be NaN");
        }
        if (repeatPenalty <= 0) {
            throw new IllegalArgumentException("repeat penalty must be > 0 (1 disables it), got " + repeatPenalty);
        }
    }

    /** llama.cpp's defaults: temp 0.8, top-k 40, top-p 0.95, min-p 0.05, penalties off over the last 64 tokens. */
    public static SamplerSettings defaults() {
        return new SamplerSettings(0.8f, 40, 0.95f, 0.05f, 1.0f, 64, 0.0f, 0.0f, RANDOM_SEED);
    }

    /** Always the most likely token, no penalties: what the llama.cpp reference runs use. */
    public static SamplerSettings greedy() {
        return new SamplerSettings(0.0f, 40, 0.95f, 0.05f, 1.0f, 64, 0.0f, 0.0f, RANDOM_SEED);
    }

    public boolean isGreedy() {
        return temperature <= 0;
    }

    boolean penaltiesEnabled() {
        return repeatLastN != 0 && (repeatPenalty != 1.0f || frequencyPenalty != 0.0f || presencePenalty != 0.0f);
    }

    public SamplerSettings withTemperature(float t) {
        return new SamplerSettings(t, topK, topP, minP, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerSettings withTopK(int k) {
        return new SamplerSettings(temperature, k, topP, minP, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerSettings withTopP(float p) {
        return new SamplerSettings(temperature, topK, p, minP, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerSettings withMinP(float p) {
        return new SamplerSettings(temperature, topK, topP, p, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerSettings withRepeatPenalty(float r, int lastN) {
        return new SamplerSettings(temperature, topK, topP, minP, r, lastN, frequencyPenalty, presencePenalty, seed);
    }

    public SamplerSettings withFrequencyAndPresencePenalty(float frequency, float presence) {
        return new SamplerSettings(temperature, topK, topP, minP, repeatPenalty, repeatLastN, frequency, presence, seed);
    }

    public SamplerSettings withSeed(long s) {
        return new SamplerSettings(temperature, topK, topP, minP, repeatPenalty, repeatLastN, frequencyPenalty, presencePenalty, s);
    }
}
