package dev.kvasir.tokenizer;

import dev.kvasir.SharedData;
import dev.kvasir.gguf.GgufFile;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The shared/tokenizers vocabularies as tokenizers, each loaded once per test JVM (Llama 3's takes seconds). */
final class TestTokenizers {
    private static final Map<String, Tokenizer> CACHE = new ConcurrentHashMap<>();

    private TestTokenizers() {
    }

    /** The tokenizer of shared/tokenizers/ggml-vocab-NAME.gguf; skips the test when it is missing. */
    static Tokenizer gguf(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try (GgufFile file = GgufFile.open(SharedData.file("tokenizers/ggml-vocab-" + n + ".gguf"))) {
                return Tokenizer.of(file);
            }
        });
    }

    /** Llama 3.2's tokenizer from shared/tokenizers/llama3.2-bpe (encoder.json + vocab.bpe). */
    static Tokenizer llama3() {
        return CACHE.computeIfAbsent("llama3.2-bpe",
                n -> Tokenizer.of(BpeVocabularies.llama3(SharedData.file("tokenizers/" + n))));
    }
}
