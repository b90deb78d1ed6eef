package dev.kvasir.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.json.Json;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Focused Jinja snippets (precedence, printing, loops, filters, whitespace, errors) vs. Jinja2's output. */
class JinjaSemanticsGoldenTest {
    @SuppressWarnings("unchecked")
    private static final Map<String, Object> GOLDEN =
            (Map<String, Object>) Json.parse(ChatTemplateGoldenTest.resource("jinja-semantics.golden.json"));

    static Stream<Arguments> snippets() {
        return ((List<?>) GOLDEN.get("cases")).stream().map(c -> Arguments.of(c));
    }

    @ParameterizedTest
    @MethodSource("snippets")
    @SuppressWarnings("unchecked")
    void rendersLikeJinja2(Map<String, Object> snippet) {
        String source = (String) snippet.get("template");
        Map<String, Object> vars = (Map<String, Object>) GOLDEN.get("vars");
        if (snippet.containsKey("expected")) {
            assertThat(Template.parse(source).render(vars, ChatTemplateGoldenTest.FIXED_NOW))
                    .as(source).isEqualTo(snippet.get("expected"));
            return;
        }
        String error = (String) snippet.get("error");
        String expected = error.startsWith("TemplateSyntaxError") ? "syntax error"
                : ChatTemplateGoldenTest.expectedMessagePart(error);
        assertThatThrownBy(() -> Template.parse(source).render(vars, ChatTemplateGoldenTest.FIXED_NOW))
                .as(source).isInstanceOf(TemplateException.class).hasMessageContaining(expected);
    }
}
