package dev.kvasir.constrain;

import dev.kvasir.json.Json;
import dev.kvasir.tokenizer.Tokenizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Compiled grammars for one vocabulary, cached: the vocabulary's byte trie is built once, and each grammar
 * (keyed by its canonical JSON schema, or a caller's key) is compiled once and keeps its memoized states
 * and masks across requests. The cache holds the {@value #CAPACITY} most recently used automata.
 * Thread-safe; one instance per loaded model.
 */
public final class Constraints {
    static final int CAPACITY = 64;

    private final PieceTrie trie;
    private final int[] endOfGeneration;
    private final Map<String, TokenAutomaton> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenAutomaton> eldest) {
            return size() > CAPACITY;
        }
    };

    public Constraints(Tokenizer tokenizer) {
        this.trie = PieceTrie.of(tokenizer);
        this.endOfGeneration = tokenizer.vocabulary().endOfGenerationIds();
    }

    /** The automaton of the grammar {@code make} builds, compiled on first use under {@code key}. */
    public TokenAutomaton automaton(String key, Supplier<Grammar> make) {
        synchronized (cache) {
            TokenAutomaton a = cache.get(key);
            if (a != null) {
                return a;
            }
        }
        TokenAutomaton a = new TokenAutomaton(make.get(), trie, endOfGeneration);
        synchronized (cache) {
            return cache.computeIfAbsent(key, k -> a);
        }
    }

    /** A new automaton for {@code grammar}, not cached (its states and masks start empty). */
    public TokenAutomaton compile(Grammar grammar) {
        return new TokenAutomaton(grammar, trie, endOfGeneration);
    }

    /** Output valid against a parsed JSON schema (dev.kvasir.json values). Throws {@link SchemaException}. */
    public TokenAutomaton jsonSchema(Object schema) {
        return automaton("schema:" + Json.write(schema), () -> Grammar.jsonSchema(schema));
    }

    /** Output valid against a JSON schema given as text. */
    public TokenAutomaton jsonSchema(String schemaJson) {
        Object parsed;
        try {
            parsed = Json.parse(schemaJson);
        } catch (dev.kvasir.json.JsonException e) {
            throw new SchemaException("the JSON schema is not valid JSON: " + e.getMessage());
        }
        return jsonSchema(parsed);
    }

    /** Any JSON object (JSON mode). */
    public TokenAutomaton jsonObject() {
        return automaton("json_object", Grammar::anyJsonObject);
    }

    /** Trie nodes of the vocabulary (diagnostics). */
    public int trieNodes() {
        return trie.nodeCount();
    }
}
