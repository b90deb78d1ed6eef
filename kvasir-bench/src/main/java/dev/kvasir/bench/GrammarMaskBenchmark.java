package dev.kvasir.bench;

import dev.kvasir.constrain.Constraints;
import dev.kvasir.constrain.Grammar;
import dev.kvasir.constrain.GrammarMatcher;
import dev.kvasir.constrain.TokenAutomaton;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What JSON-schema constrained decoding adds per generated token: masking the logits (copy + mask) and
 * advancing the matcher by the sampled token, over a fixed schema-valid document of {@value #TOKENS}
 * tokens. {@code warm}: the schema's automaton is cached (states, transitions, masks met before), the
 * steady state of a server; {@code cold}: a fresh automaton per document, so every state's mask is
 * computed by walking the vocabulary trie (the first request with a new schema; the schema compile is
 * included). Models from ../shared/models (override with -Dkvasir.models=DIR).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GrammarMaskBenchmark {
    static final int TOKENS = 48;
    static final String SCHEMA = """
            {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"},
             "tags": {"type": "array", "items": {"type": "string"}}, "ok": {"type": "boolean"}},
             "required": ["name", "age", "tags", "ok"]}""";
    static final String DOCUMENT = "{\"name\": \"Lily and the big red ball went to the park\", \"age\": 1234567,"
            + " \"tags\": [\"sun\", \"tree\", \"dog\", \"cat\", \"bird\", \"fish\", \"moon\"], \"ok\": true}";

    @Param({"stories260K.gguf", "tinyllama-v0-q4_0.gguf"})
    public String model;

    private Tokenizer tokenizer;
    private Constraints constraints;
    private TokenAutomaton warm;
    private int[] tokens;
    private float[] logits;

    @Setup
    public void setUp() {
        Path dir = Path.of(System.getProperty("kvasir.models", "../shared/models"));
        if (!Files.isDirectory(dir)) {
            dir = Path.of("shared/models");
        }
        try (GgufFile file = GgufFile.open(dir.resolve(model))) {
            tokenizer = Tokenizer.of(file);
        }
        constraints = new Constraints(tokenizer);
        warm = constraints.jsonSchema(SCHEMA);
        int[] all = longestPieces(DOCUMENT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (all.length < TOKENS) {
            throw new IllegalStateException(model + ": the document is " + all.length + " tokens, fewer than " + TOKENS);
        }
        tokens = java.util.Arrays.copyOf(all, TOKENS); // a prefix of a valid document: every token stays allowed
        logits = new float[tokenizer.vocabulary().size()];
        run(warm); // the warm automaton has met every state of the document
    }

    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public GrammarMatcher warm() {
        return run(warm);
    }

    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public GrammarMatcher cold() {
        return run(constraints.compile(Grammar.jsonSchema(SCHEMA)));
    }

    /** The document as tokens, longest matching piece first (SPM's encode would add a leading space). */
    private int[] longestPieces(byte[] doc) {
        int[] out = new int[doc.length];
        int n = 0;
        for (int at = 0; at < doc.length; ) {
            int best = -1;
            int bestLen = 0;
            for (int id = 0; id < tokenizer.vocabulary().size(); id++) {
                byte[] p = tokenizer.pieceBytes(id, false);
                if (p.length > bestLen && at + p.length <= doc.length
                        && java.util.Arrays.equals(p, 0, p.length, doc, at, at + p.length)) {
                    best = id;
                    bestLen = p.length;
                }
            }
            out[n++] = best;
            at += bestLen;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private GrammarMatcher run(TokenAutomaton automaton) {
        GrammarMatcher m = automaton.newMatcher();
        for (int t : tokens) {
            float[] scores = logits.clone(); // as Generation does: the model's logits stay untouched
            m.mask(scores);
            m.accept(t);
        }
        return m;
    }

}
