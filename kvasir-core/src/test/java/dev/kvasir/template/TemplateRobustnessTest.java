package dev.kvasir.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Broken templates must fail with a TemplateException, never with an NPE/IOOBE or a hang. */
class TemplateRobustnessTest {
    private static final String PIECES = "{}%#-+()[]'\".|,:=~ \n\\abx019";

    @Test
    void mutatedRealTemplatesFailCleanly() throws IOException {
        Random random = new Random(20250307);
        List<ChatMessage> messages = List.of(ChatMessage.system("sys"), ChatMessage.user("hi"),
                ChatMessage.assistant("yo"), ChatMessage.user("again"));
        List<Map<String, Object>> tools = List.of(Map.of("type", "function", "function",
                Map.of("name", "f", "description", "d", "parameters", Map.of("type", "object", "properties", Map.of()))));
        int rendered = 0;
        int rejected = 0;
        for (String name : ChatTemplateGoldenTest.GOLDENS) {
            if (name.startsWith("ggml-vocab")) {
                continue;
            }
            String source = ChatTemplateGoldenTest.templateSource("chat-templates/" + name + ".jinja");
            for (int i = 0; i < 40; i++) {
                String mutated = mutate(source, random);
                try {
                    ChatTemplate.parse(mutated).withClock(ChatTemplateGoldenTest.FIXED_NOW)
                            .render(messages, random.nextBoolean() ? tools : null, true, "<s>", "</s>", null);
                    rendered++;
                } catch (TemplateException e) {
                    assertThat(e.getMessage()).as(mutated).startsWith("chat template ").doesNotContain("\n");
                    rejected++;
                }
            }
        }
        assertThat(rendered).isPositive();
        assertThat(rejected).isPositive();
    }

    @Test
    void deepNestingIsATemplateException() {
        String deep = "{{ " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + " }}";
        assertThatThrownBy(() -> Template.parse(deep)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("nested too deeply");
    }

    private static String mutate(String source, Random random) {
        StringBuilder sb = new StringBuilder(source);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && !sb.isEmpty(); e++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, PIECES.charAt(random.nextInt(PIECES.length())));
                case 2 -> sb.setLength(at);
                default -> sb.setCharAt(at, PIECES.charAt(random.nextInt(PIECES.length())));
            }
        }
        return sb.toString();
    }
}
