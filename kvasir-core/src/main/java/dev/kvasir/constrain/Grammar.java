package dev.kvasir.constrain;

import dev.kvasir.json.Json;
import dev.kvasir.json.JsonException;
import java.nio.charset.StandardCharsets;

/**
 * A context-free grammar over output bytes (UTF-8), in the shape of llama.cpp's GBNF: rules of
 * alternatives, each a sequence of byte classes and rule references. Immutable and thread-safe; build
 * one from a JSON schema ({@link #jsonSchema}), for any JSON ({@link #anyJson}, {@link #anyJsonObject}),
 * or compose literals and grammars (tool-call wrappers). {@link TokenAutomaton} turns a grammar into
 * per-token masks for one vocabulary.
 *
 * <p>Supported JSON-schema subset (the rest is refused with a {@link SchemaException} naming the keyword):
 * see {@link JsonSchemaCompiler}.
 */
public final class Grammar {
    /** {@code rules[r][alt]} = elements: {@code e >= 0} references rule e, {@code e < 0} is byte class {@code -e-1}. */
    final int[][][] rules;
    /** Byte classes, 4 longs (256 bits) each. */
    final long[][] classes;
    final int root;

    Grammar(int[][][] rules, long[][] classes, int root) {
        this.rules = rules;
        this.classes = classes;
        this.root = root;
    }

    /** Output valid against {@code schemaJson} (a JSON-schema document as text). */
    public static Grammar jsonSchema(String schemaJson) {
        Object schema;
        try {
            schema = Json.parse(schemaJson);
        } catch (JsonException e) {
            throw new SchemaException("the JSON schema is not valid JSON: " + e.getMessage());
        }
        return jsonSchema(schema);
    }

    /** Output valid against {@code schema}, a parsed JSON schema (dev.kvasir.json values: Map, List, String, ...). */
    public static Grammar jsonSchema(Object schema) {
        GrammarBuilder b = new GrammarBuilder();
        return b.build(new JsonSchemaCompiler(b, schema).root());
    }

    /** Any JSON value (OpenAI's JSON mode asks for an object: {@link #anyJsonObject}). */
    public static Grammar anyJson() {
        GrammarBuilder b = new GrammarBuilder();
        return b.build(new JsonSchemaCompiler(b, Boolean.TRUE).root());
    }

    /** Any JSON object: OpenAI's {@code response_format: {"type": "json_object"}}. */
    public static Grammar anyJsonObject() {
        return jsonSchema(java.util.Map.of("type", "object", "additionalProperties", true));
    }

    /** Exactly {@code text}. */
    public static Grammar literal(String text) {
        GrammarBuilder b = new GrammarBuilder();
        return b.build(b.bytes(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The parts one after another. */
    public static Grammar sequence(Grammar... parts) {
        GrammarBuilder b = new GrammarBuilder();
        int[][] refs = new int[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            refs[i] = b.embed(parts[i]);
        }
        return b.build(GrammarBuilder.seq(refs));
    }

    /** Any one of the options. */
    public static Grammar oneOf(Grammar... options) {
        GrammarBuilder b = new GrammarBuilder();
        int[][] refs = new int[options.length][];
        for (int i = 0; i < options.length; i++) {
            refs[i] = b.embed(options[i]);
        }
        return b.build(b.alt(refs));
    }

    /** {@code min} to {@code max} ({@code -1}: unbounded) repetitions of {@code item}, separated by {@code separator}. */
    public static Grammar repeat(Grammar item, String separator, int min, int max) {
        if (min < 0 || (max >= 0 && max < min)) {
            throw new IllegalArgumentException("bad repetition bounds " + min + ".." + max);
        }
        GrammarBuilder b = new GrammarBuilder();
        int[] x = b.embed(item);
        int[] sep = b.bytes(separator.getBytes(StandardCharsets.UTF_8));
        return b.build(b.list(x, sep, min, max));
    }

    /** Number of rules (for diagnostics and tests). */
    public int ruleCount() {
        return rules.length;
    }
}
