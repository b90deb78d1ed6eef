package dev.kvasir.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.SharedData;
import dev.kvasir.json.Json;
import dev.kvasir.gguf.GgufFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders the real chat templates in shared/ and compares byte for byte with Jinja2's output in
 * transformers' configuration (goldens from scripts/gen-template-goldens.py).
 */
class ChatTemplateGoldenTest {
    /** The instant strftime_now sees in the goldens (FIXED_NOW in the generator script). */
    static final Clock FIXED_NOW = Clock.fixed(LocalDateTime.of(2025, 3, 7, 14, 5, 9).toInstant(ZoneOffset.UTC),
            ZoneOffset.UTC);

    static final List<String> GOLDENS = List.of(
            "NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use",
            "deepseek-ai-DeepSeek-R1-Distill-Llama-8B",
            "google-gemma-2-2b-it",
            "meta-llama-Llama-3.1-8B-Instruct",
            "meta-llama-Llama-3.2-3B-Instruct",
            "microsoft-Phi-3.5-mini-instruct",
            "mistralai-Mistral-Nemo-Instruct-2407",
            "ggml-vocab-phi-3");

    private static final Map<String, ChatTemplate> PARSED = new ConcurrentHashMap<>();

    private static ChatTemplate parseTemplate(String file) {
        try {
            return ChatTemplate.parse(templateSource(file)).withClock(FIXED_NOW);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> cases() {
        return GOLDENS.stream().flatMap(name -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> golden = (Map<String, Object>) Json.parse(resource(name + ".golden.json"));
            List<Arguments> out = new ArrayList<>();
            for (Object c : (List<?>) golden.get("cases")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> kase = (Map<String, Object>) c;
                out.add(Arguments.of(name + ":" + kase.get("name"), golden.get("template"), kase));
            }
            return out.stream();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void rendersLikeTransformers(String label, String templateFile, Map<String, Object> kase) throws IOException {
        ChatTemplate template = PARSED.computeIfAbsent(templateFile, ChatTemplateGoldenTest::parseTemplate);
        List<ChatMessage> messages = new ArrayList<>();
        for (Object m : (List<?>) kase.get("messages")) {
            messages.add(message((Map<String, Object>) m));
        }
        List<Map<String, Object>> tools = (List<Map<String, Object>>) kase.get("tools");
        boolean generation = (Boolean) kase.get("add_generation_prompt");
        String bos = (String) kase.get("bos_token");
        String eos = (String) kase.get("eos_token");
        if (kase.containsKey("expected")) {
            assertThat(template.render(messages, tools, generation, bos, eos, null)).isEqualTo(kase.get("expected"));
        } else {
            String error = (String) kase.get("error");
            assertThatThrownBy(() -> template.render(messages, tools, generation, bos, eos, null))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageContaining(expectedMessagePart(error));
        }
    }

    /** raise_exception and undefined errors must carry Python's exact message; others its error type. */
    static String expectedMessagePart(String pythonError) {
        return pythonError.startsWith("TemplateError: ") || pythonError.startsWith("UndefinedError: ")
                ? pythonError : pythonError.substring(0, pythonError.indexOf(':'));
    }

    @SuppressWarnings("unchecked")
    static ChatMessage message(Map<String, Object> m) {
        return new ChatMessage((String) m.get("role"), (String) m.get("content"),
                (List<Map<String, Object>>) m.get("tool_calls"), (String) m.get("tool_call_id"),
                (String) m.get("name"));
    }

    static String templateSource(String file) throws IOException {
        Path path = SharedData.file(file);
        if (file.endsWith(".gguf")) {
            try (GgufFile gguf = GgufFile.open(path)) {
                return gguf.metadata().getString("tokenizer.chat_template");
            }
        }
        return Files.readString(path, StandardCharsets.UTF_8);
    }

    static String resource(String name) {
        try (InputStream in = ChatTemplateGoldenTest.class.getResourceAsStream("/templates/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource templates/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
