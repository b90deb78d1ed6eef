package dev.kvasir.generate;

/**
 * How long a generation took: the prompt (prefill) and the generated tokens separately, as
 * llama.cpp reports them.
 */
public record Timings(int promptTokens, double promptMillis, int generatedTokens, double generationMillis) {

    public double promptTokensPerSecond() {
        return perSecond(promptTokens, promptMillis);
    }

    public double generationTokensPerSecond() {
        return perSecond(generatedTokens, generationMillis);
    }

    private static double perSecond(int tokens, double millis) {
        return millis > 0 ? tokens * 1000.0 / millis : 0.0;
    }
}
