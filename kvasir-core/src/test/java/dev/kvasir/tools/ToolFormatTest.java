package dev.kvasir.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.constrain.Constraints;
import dev.kvasir.constrain.GrammarMatcher;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.template.ChatPrompt;
import dev.kvasir.template.ChatTemplate;
import dev.kvasir.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each family's template is recognised, its call text parses, and the forcing grammar accepts exactly call text. */
class ToolFormatTest {
    static final Tool WEATHER = new Tool("get_weather", "Weather of a city", Map.of("type", "object",
            "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city")));

    static ChatPrompt prompt(String file) {
        return new ChatPrompt(ChatPrompt.readTemplate(SharedData.file("chat-templates/" + file)), file, "<s>", "</s>");
    }

    @Test
    void detectsTheFamilies() {
        assertThat(ToolFormat.detect(prompt("NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use.jinja"))).isEqualTo(ToolFormat.HERMES);
        assertThat(ToolFormat.detect(prompt("Qwen-Qwen3-0.6B.jinja"))).isEqualTo(ToolFormat.HERMES);
        assertThat(ToolFormat.detect(prompt("meta-llama-Llama-3.1-8B-Instruct.jinja"))).isEqualTo(ToolFormat.LLAMA3);
        assertThat(ToolFormat.detect(prompt("mistralai-Mistral-Nemo-Instruct-2407.jinja"))).isEqualTo(ToolFormat.MISTRAL);
        assertThat(ToolFormat.templateIgnoresTools(new ChatPrompt(ChatTemplate.chatMl(), "chatml", "", ""))).isTrue();
        assertThat(ToolFormat.templateIgnoresTools(prompt("Qwen-Qwen3-0.6B.jinja"))).isFalse();
    }

    @Test
    void parsesWhatEachFamilyWrites() {
        ToolFormat.Parsed h = ToolFormat.HERMES.parse("Let me look.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\":"
                + " {\"city\": \"Oslo\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}\n</tool_call>");
        assertThat(h.content()).isEqualTo("Let me look.");
        assertThat(h.calls()).extracting(ToolCall::name, ToolCall::arguments).containsExactly(
                org.assertj.core.groups.Tuple.tuple("get_weather", "{\"city\":\"Oslo\"}"),
                org.assertj.core.groups.Tuple.tuple("get_weather", "{\"city\":\"Rome\"}"));
        ToolFormat.Parsed l = ToolFormat.LLAMA3.parse("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}");
        assertThat(l.calls()).singleElement().extracting(ToolCall::arguments).isEqualTo("{\"city\":\"Oslo\"}");
        ToolFormat.Parsed m = ToolFormat.MISTRAL.parse("[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"},"
                + " \"id\": \"abcDEF123\"}]");
        assertThat(m.calls()).singleElement().extracting(ToolCall::id).isEqualTo("abcDEF123");
        assertThat(ToolFormat.HERMES.parse("Just text.").calls()).isEmpty();
        assertThat(ToolFormat.LLAMA3.parse("{not json").calls()).isEmpty();
        assertThat(ToolFormat.MISTRAL.newId()).matches("[A-Za-z0-9]{9}");
    }

    @Test
    void forcingGrammarAcceptsCallsOnly() {
        Constraints c = new Constraints(Tokenizer.of(GgufFile.open(SharedData.model("stories260K.gguf"))));
        String hermes = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>";
        assertThat(accepts(c, ToolFormat.HERMES, false, hermes)).isTrue();
        assertThat(accepts(c, ToolFormat.HERMES, false, hermes + "\n" + hermes)).isFalse();
        assertThat(accepts(c, ToolFormat.HERMES, true, hermes + "\n" + hermes)).isTrue();
        assertThat(accepts(c, ToolFormat.HERMES, false, "<tool_call>\n{\"name\": \"other\", \"arguments\": {}}\n</tool_call>")).isFalse();
        assertThat(accepts(c, ToolFormat.LLAMA3, false, "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"x\"}}")).isTrue();
        assertThat(accepts(c, ToolFormat.MISTRAL, true, "[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"x\"}}]")).isTrue();
        assertThat(accepts(c, ToolFormat.MISTRAL, true, "[{\"name\": \"get_weather\", \"arguments\": {}}]")).isFalse();
    }

    static boolean accepts(Constraints c, ToolFormat f, boolean parallel, String text) {
        GrammarMatcher m = c.compile(f.grammar(List.of(WEATHER), parallel)).newMatcher();
        return m.acceptBytes(text.getBytes(StandardCharsets.UTF_8)) && m.isComplete();
    }
}
