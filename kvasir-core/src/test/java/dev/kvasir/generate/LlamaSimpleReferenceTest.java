package dev.kvasir.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.json.Json;
import dev.kvasir.sample.SamplerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Greedy continuations of prompts of our own against llama.cpp's, recorded with llama-simple by
 * scripts/gen-llamacpp-references.py: beyond the two shared llama-server references, the engine must
 * agree with llama.cpp on whatever prompt one tries.
 */
class LlamaSimpleReferenceTest {
    private static Generator generator;

    @BeforeAll
    static void load() {
        generator = Generator.load(SharedData.model("stories260K.gguf"));
    }

    @AfterAll
    static void close() {
        if (generator != null) {
            generator.close();
        }
    }

    static Stream<Map<?, ?>> cases() throws IOException {
        try (InputStream in = LlamaSimpleReferenceTest.class.getResourceAsStream("/reference/llama-simple.stories260K.json")) {
            Map<?, ?> json = (Map<?, ?>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(json.get("n_predict")).isEqualTo(64L);
            return ((List<?>) json.get("cases")).stream().map(c -> (Map<?, ?>) c);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void greedyTextEqualsLlamaCpp(Map<?, ?> reference) {
        int[] prompt = generator.tokenize((String) reference.get("prompt"));
        GenerationResult result = generator.generate(GenerationRequest.of(prompt, 64, SamplerSettings.greedy()),
                generator.newCache(), (id, text) -> {});
        assertThat(result.text()).isEqualTo(reference.get("generated_text"));
    }
}
