package dev.kvasir.bench;

/**
 * One llama-bench test: {@code ppN} evaluates an N-token prompt in one batch from an empty cache,
 * {@code tgN} decodes N tokens one at a time from an empty cache.
 */
public record BenchTest(Kind kind, int tokens) {
    public enum Kind { PROMPT, GENERATE }

    public BenchTest {
        if (tokens < 1) {
            throw new IllegalArgumentException("a benchmark test needs at least one token, got " + tokens);
        }
    }

    public static BenchTest prompt(int tokens) {
        return new BenchTest(Kind.PROMPT, tokens);
    }

    public static BenchTest generate(int tokens) {
        return new BenchTest(Kind.GENERATE, tokens);
    }

    /** llama-bench's name: pp512, tg128. */
    public String name() {
        return (kind == Kind.PROMPT ? "pp" : "tg") + tokens;
    }

    /**
     * The smaller run repeated before the timed ones (see {@code Benchmark}): it compiles the hot kernels
     * (JIT) and pages the mapped weights in. llama-bench warms up with the full prompt and a single decoded token.
     */
    BenchTest warmUp() {
        return new BenchTest(kind, Math.min(tokens, kind == Kind.PROMPT ? 128 : 16));
    }
}
