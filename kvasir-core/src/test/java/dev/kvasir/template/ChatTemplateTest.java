package dev.kvasir.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {
    @Test
    void chatMlFallback() {
        String prompt = ChatTemplate.chatMl().render(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi")),
                null, true, "<s>", "</s>", null);
        assertThat(prompt).isEqualTo(
                "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void messagesHaveExactlyTheKeysOfAnOpenAiRequest() {
        ChatTemplate keys = ChatTemplate.parse("{% for m in messages %}{{ m|list }}{{ m|tojson }}\n{% endfor %}");
        Map<String, Object> call = Map.of("id", "c1", "type", "function",
                "function", Map.of("name", "f", "arguments", "{}"));
        String out = keys.render(List.of(ChatMessage.user("u"),
                new ChatMessage("assistant", null, List.of(call), null, null),
                ChatMessage.tool("r", "c1", "f")), null, false, "", "", null);
        assertThat(out.lines().toList()).hasSize(3);
        assertThat(out.lines().toList().get(0)).isEqualTo("['role', 'content']{\"role\": \"user\", \"content\": \"u\"}");
        assertThat(out.lines().toList().get(1)).startsWith("['role', 'content', 'tool_calls']{\"role\": \"assistant\", "
                + "\"content\": null, \"tool_calls\": [{");
        assertThat(out.lines().toList().get(2)).isEqualTo("['role', 'content', 'tool_call_id', 'name']"
                + "{\"role\": \"tool\", \"content\": \"r\", \"tool_call_id\": \"c1\", \"name\": \"f\"}");
    }

    @Test
    void variablesPassedLikeApplyChatTemplate() {
        ChatTemplate t = ChatTemplate.parse("{{ bos_token }}|{{ eos_token }}|{{ tools }}|{{ documents }}|"
                + "{{ add_generation_prompt }}|{{ date_string }}|{{ tools is none }}");
        assertThat(t.render(List.of(), null, true, "<s>", "</s>", Map.of("date_string", "1 Jan 2025")))
                .isEqualTo("<s>|</s>|None|None|True|1 Jan 2025|True");
        assertThat(t.render(List.of(), List.of(Map.of("type", "function")), false, "", "", null))
                .isEqualTo("||[{'type': 'function'}]|None|False||False");
    }

    @Test
    void syntaxErrorsSurfaceAtParseTime() {
        assertThatThrownBy(() -> ChatTemplate.parse("{% for m in messages %}")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("syntax error");
        assertThatThrownBy(() -> new ChatMessage("", "x", null, null, null)).isInstanceOf(TemplateException.class);
    }
}
