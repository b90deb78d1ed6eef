package dev.kvasir.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Seeded random templates (filter chains, tests, loops and conditions over none, undefined, lists,
 * dicts, strings and the generators map/select/unique/... return) rendered by Python Jinja2 3.1 in
 * transformers' environment (scripts/gen-jinja-differential.py) and by Kvasir: the outputs must be
 * equal (object addresses in reprs aside), and where Jinja2 raises, Kvasir raises the same exception
 * type. All mismatches are collected, so one run lists every difference.
 */
class JinjaDifferentialTest {
    private static final Pattern ADDRESS = Pattern.compile("(?i) at 0x[0-9a-f]+");

    @Test
    @SuppressWarnings("unchecked")
    void rendersEveryGeneratedTemplateLikeJinja2() {
        Map<String, Object> golden = (Map<String, Object>) Json.parse(ChatTemplateGoldenTest.resource("jinja-differential.golden.json"));
        Map<String, Object> vars = (Map<String, Object>) golden.get("vars");
        List<Map<String, Object>> cases = (List<Map<String, Object>>) golden.get("cases");
        List<String> mismatches = new ArrayList<>();
        for (Map<String, Object> c : cases) {
            String source = (String) c.get("template");
            String expected = c.containsKey("expected") ? "= " + ADDRESS.matcher((String) c.get("expected")).replaceAll(" at 0x")
                    : "! " + kind((String) c.get("error"));
            String actual;
            try {
                actual = "= " + ADDRESS.matcher(Template.parse(source).render(vars, ChatTemplateGoldenTest.FIXED_NOW))
                        .replaceAll(" at 0x");
            } catch (TemplateException e) {
                actual = "! " + javaKind(e.getMessage());
            } catch (RuntimeException e) { // a crash, never right: Jinja2 raises its own errors or renders
                actual = "crash " + e;
            }
            if (!actual.equals(expected)) {
                mismatches.add(source + "\n    jinja2: " + (c.containsKey("error") ? c.get("error") : expected)
                        + "\n    kvasir: " + actual);
            }
        }
        assertThat(mismatches).as("%d of %d generated templates differ from Jinja2 (seed %s):%n%s", mismatches.size(),
                cases.size(), golden.get("seed"), String.join("\n", mismatches)).isEmpty();
    }

    private static String kind(String pythonError) {
        return pythonError.substring(0, pythonError.indexOf(':'));
    }

    /** "chat template 1:4: TypeError: ..." -> TypeError; "... syntax error: ..." -> TemplateSyntaxError. */
    private static String javaKind(String message) {
        String rest = message.replaceFirst("^chat template( \\d+:\\d+)?: ", "");
        if (rest.startsWith("syntax error")) {
            return "TemplateSyntaxError";
        }
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }
}
