package dev.kvasir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kvasir.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kvasir template} against the Jinja2 goldens kvasir-core checks in (templates/*.golden.json, rendered by
 * transformers' Jinja2 setup): the real templates in shared/chat-templates and the one inside the phi-3 vocabulary.
 */
class TemplateCommandTest {
    /** The goldens' strftime_now instant (ChatTemplateGoldenTest.FIXED_NOW), 2025-03-07 14:05:09 UTC. */
    private static final String GOLDEN_EPOCH = "1741356309";

    private static final List<String> GOLDENS = List.of(
            "NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use", "deepseek-ai-DeepSeek-R1-Distill-Llama-8B",
            "google-gemma-2-2b-it", "meta-llama-Llama-3.1-8B-Instruct", "meta-llama-Llama-3.2-3B-Instruct",
            "microsoft-Phi-3.5-mini-instruct", "mistralai-Mistral-Nemo-Instruct-2407", "ggml-vocab-phi-3");

    @TempDir
    Path tmp;

    static JsonNode golden(String name) {
        try (InputStream in = TemplateCommandTest.class.getResourceAsStream("/templates/" + name + ".golden.json")) {
            assertThat(in).as("kvasir-core test resource templates/%s.golden.json", name).isNotNull();
            return Cli.JSON.readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String name : GOLDENS) {
            JsonNode golden = golden(name);
            golden.get("cases").forEach(c -> out.add(Arguments.of(name + ":" + c.get("name").asText(),
                    golden.get("template").asText(), c)));
        }
        return out.stream();
    }

    private Path messagesFile(JsonNode kase) throws IOException {
        ObjectNode request = Cli.JSON.createObjectNode();
        request.set("messages", kase.get("messages"));
        request.set("tools", kase.get("tools"));
        return Files.writeString(tmp.resolve("messages.json"), Cli.JSON.writeValueAsString(request));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersTheGolden(String label, String template, JsonNode kase) throws IOException {
        Path source = SharedData.file(template);
        List<String> args = new ArrayList<>(List.of("template", "--messages", messagesFile(kase).toString(),
                template.endsWith(".gguf") ? "-m" : "--chat-template", source.toString(),
                "--bos-token", kase.get("bos_token").asText(), "--eos-token", kase.get("eos_token").asText()));
        if (kase.get("add_generation_prompt").asBoolean()) {
            args.add("--add-generation-prompt");
        }
        Cli.Result r = new Cli().env(TemplateCommand.SOURCE_DATE_EPOCH, GOLDEN_EPOCH).run(args.toArray(String[]::new));
        if (kase.has("expected")) {
            assertThat(r.err()).isEmpty();
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).isEqualTo(kase.get("expected").asText());
        } else {
            String error = kase.get("error").asText();
            String part = error.startsWith("TemplateError: ") || error.startsWith("UndefinedError: ") ? error
                    : error.substring(0, error.indexOf(':'));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            String where = source.getFileName() + (template.endsWith(".gguf") ? " tokenizer.chat_template" : "");
            assertThat(r.err()).startsWith("kvasir: " + where + ": chat template ")
                    .containsOnlyOnce("\n").contains(part);
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void phi3VocabularySuppliesTemplateAndBosAndItsIdsHoldOneBos() throws IOException {
        String phi3 = SharedData.file("tokenizers/ggml-vocab-phi-3.gguf").toString();
        Path messages = write("m.json", "[{\"role\": \"user\", \"content\": \"Hello! Who are you?\"}]");
        Cli.Result text = Cli.exec("template", "-m", phi3, "--messages", messages.toString(), "--add-generation-prompt");
        assertThat(text.out()).isEqualTo("<s><|user|>\nHello! Who are you?<|end|>\n<|assistant|>\n");

        Cli.Result ids = Cli.exec("template", "-m", phi3, "--messages", messages.toString(), "--add-generation-prompt",
                "--ids");
        assertThat(ids.exitCode()).as(ids.err()).isZero();
        int[] prompt = Arrays.stream(ids.out().strip().split(" ")).mapToInt(Integer::parseInt).toArray();
        assertThat(prompt[0]).isEqualTo(1);
        assertThat(Arrays.stream(prompt).filter(id -> id == 1).count()).isEqualTo(1);
        // <|user|> right after BOS and <|assistant|> last, each one token: special texts were parsed
        assertThat(prompt[1]).isEqualTo(32010);
        assertThat(prompt[prompt.length - 1]).isEqualTo(32001);
        // the same ids llama-style tokenize gives the text without its BOS (add BOS, parse special)
        Cli.Result direct = Cli.exec("tokenize", "-m", phi3, "--parse-special",
                "--prompt=<|user|>\nHello! Who are you?<|end|>\n<|assistant|>\n");
        assertThat(ids.out()).isEqualTo(direct.out());
    }

    @Test
    void stdinAndRequestShapedMessages() throws IOException {
        Path template = write("t.jinja", "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}"
                + "{% if tools %}tools: {{ tools | length }}\n{% endif %}{% if add_generation_prompt %}>{% endif %}");
        Cli.Result r = new Cli().stdin("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}],"
                + " \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]}")
                .run("template", "--chat-template", template.toString(), "--messages", "-", "--add-generation-prompt");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("[user] hi\ntools: 1\n>");
    }

    @Test
    void errorsAreOneLineAndSayWhere() throws IOException {
        Path template = write("t.jinja", "{% for m in messages %}\n{{ m.content + }}{% endfor %}");
        Path good = write("good.json", "[{\"role\": \"user\", \"content\": \"hi\"}]");
        Path bad = write("bad.json", "[{\"role\": \"user\",\n \"content\": \"hi\",}]");
        assertOneLine(Cli.exec("template", "--chat-template", template.toString(), "--messages", good.toString()),
                "kvasir: t.jinja: chat template 2:");
        Path fine = write("fine.jinja", "{{ messages[0].content }}");
        assertOneLine(Cli.exec("template", "--chat-template", fine.toString(), "--messages", bad.toString()),
                "kvasir: " + bad + ": invalid JSON at line 2, column 18: unexpected '}', expected a string key");
        assertOneLine(Cli.exec("template", "--chat-template", fine.toString(), "--messages",
                tmp.resolve("none.json").toString()), "kvasir: cannot read messages file");
        Path noRole = write("norole.json", "[{\"content\": \"hi\"}]");
        assertOneLine(Cli.exec("template", "--chat-template", fine.toString(), "--messages", noRole.toString()),
                "kvasir: " + noRole + ": messages[0].role: expected a non-empty string");
        assertOneLine(Cli.exec("template", "--chat-template", tmp.resolve("gone.jinja").toString(), "--messages",
                good.toString()), "kvasir: " + tmp.resolve("gone.jinja") + ": chat template file not found");
        assertOneLine(new Cli().env(TemplateCommand.SOURCE_DATE_EPOCH, "yesterday").run("template", "--chat-template",
                fine.toString(), "--messages", good.toString()), "kvasir: $SOURCE_DATE_EPOCH is 'yesterday'");
        Path raising = write("raise.jinja", "{{ raise_exception('roles must alternate') }}");
        assertOneLine(Cli.exec("template", "--chat-template", raising.toString(), "--messages", good.toString()),
                "kvasir: raise.jinja: chat template 1:4: TemplateError: roles must alternate");
    }

    @Test
    void aVocabularyWithoutTemplateUsesChatMl() throws IOException {
        Path messages = write("m.json", "[{\"role\": \"user\", \"content\": \"Hi\"}]");
        Cli.Result r = Cli.exec("template", "-m", SharedData.file("tokenizers/ggml-vocab-llama-spm.gguf").toString(),
                "--messages", messages.toString(), "--add-generation-prompt");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    }

    private static void assertOneLine(Cli.Result r, String start) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith(start).containsOnlyOnce("\n").doesNotContain("\tat ");
    }
}
