package dev.kvasir.generate;

/**
 * A finished generation. {@code generatedTokens} excludes an end-of-generation token; {@code text} is
 * what was output (without the stop string). The cache then holds the input and every generated token
 * but the last one, which was never fed back (as in llama.cpp).
 */
public record GenerationResult(int[] inputTokens, int[] generatedTokens, String text, StopReason stopReason,
                               Timings timings) {
    public GenerationResult {
        inputTokens = inputTokens.clone();
        generatedTokens = generatedTokens.clone();
    }

    @Override
    public int[] inputTokens() {
        return inputTokens.clone();
    }

    @Override
    public int[] generatedTokens() {
        return generatedTokens.clone();
    }
}
