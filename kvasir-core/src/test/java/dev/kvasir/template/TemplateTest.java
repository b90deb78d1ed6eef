package dev.kvasir.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-checked Jinja2 semantics (expected values verified with Jinja2 3.1 in transformers' setup). */
class TemplateTest {
    private static String render(String template, Object... keyValues) {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            vars.put((String) keyValues[i], keyValues[i + 1]);
        }
        return Template.parse(template).render(vars, ChatTemplateGoldenTest.FIXED_NOW);
    }

    @Test
    void operatorPrecedenceFollowsJinja() {
        assertThat(render("{{ 1 + 2 * 3 }}|{{ 2 ** 3 ** 2 }}|{{ -2 ** 2 }}|{{ 2 * 3 ~ 4 }}|{{ -7 // 2 }}|{{ -7 % 3 }}"))
                .isEqualTo("7|64|4|64|-4|2");
        assertThat(render("{{ not 1 == 2 }}|{{ true or false and false }}|{{ 'b' if 0 else 'c' if 1 else 'd' }}"))
                .isEqualTo("True|True|c");
        assertThat(render("{{ 1 < 2 < 3 }}|{{ 3 > 2 > 2 }}|{{ 'a' not in 'cat' }}|{{ x is not defined }}"))
                .isEqualTo("True|False|False|True");
        assertThatThrownBy(() -> render("{{ 1 + 2 ~ 3 }}")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("TypeError: unsupported operand type(s) for +: 'int' and 'str'");
    }

    @Test
    void slicesWithStepsLikePython() {
        assertThat(render("{{ l[::-1] }} {{ l[1:] }} {{ l[:-1] }} {{ l[::2] }} {{ l[5:] }} {{ l[3:0:-2] }}",
                "l", List.of(1, 2, 3, 4))).isEqualTo("[4, 3, 2, 1] [2, 3, 4] [1, 2, 3] [1, 3] [] [4, 2]");
        assertThat(render("{{ s[1:3] }}|{{ s[::-1] }}|{{ s[-1] }}", "s", "ab✓😀")).isEqualTo("b✓|😀✓ba|😀");
    }

    @Test
    void loopVariables() {
        assertThat(render("{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}"
                + "{{ loop.first|int }}{{ loop.last|int }}{{ loop.length }}{{ loop.previtem }}{{ loop.nextitem }};"
                + "{% endfor %}")).isEqualTo("103103b;212003ac;321013b;");
        assertThat(render("{% for x in [1, 2, 3, 4] if x is even %}{{ x }}/{{ loop.length }} {% else %}none{% endfor %}"
                + "{% for x in [] %}x{% else %}empty{% endfor %}")).isEqualTo("2/2 4/2 empty");
        assertThat(render("{% for k, v in d.items() %}{{ k }}={{ v }}{% if not loop.last %},{% endif %}{% endfor %}",
                "d", Map.of("a", 1))).isEqualTo("a=1");
    }

    @Test
    void setInsideLoopDoesNotLeakButNamespaceDoes() {
        assertThat(render("{% set x = 1 %}{% set ns = namespace(n=0) %}{% for i in [1, 2] %}{% set x = i %}"
                + "{% set ns.n = ns.n + i %}{% endfor %}{{ x }} {{ ns.n }}")).isEqualTo("1 3");
    }

    @Test
    void whitespaceControlTrimAndLstripBlocks() {
        assertThat(render("a\n  {% if true %}\n  b\n  {% endif %}\nc")).isEqualTo("a\n  b\nc");
        assertThat(render("a  {%- if true -%}  b  {%- endif -%}  c {{- ' d ' -}} e")).isEqualTo("abc d e");
        assertThat(render("x {# note #}\n  {#- gone -#}\n y")).isEqualTo("x y");
        assertThat(render("  {{ 'v' }}\n{%+ if true %}kept indent{% endif %}")).isEqualTo("  v\nkept indent");
        assertThat(render("one\r\ntwo\n")).as("newlines normalized, one trailing newline dropped").isEqualTo("one\ntwo");
    }

    @Test
    void tojsonIsPythonJsonDumps() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of(1, 2.5, true));
        m.put("a", null);
        m.put("ü", "\"q\"\n\u0001");
        assertThat(render("{{ m|tojson }}", "m", m))
                .isEqualTo("{\"b\": [1, 2.5, true], \"a\": null, \"ü\": \"\\\"q\\\"\\n\\u0001\"}");
        assertThat(render("{{ m|tojson(indent=2, sort_keys=true) }}", "m", Map.of("k", List.of(), "j", Map.of("x", 1))))
                .isEqualTo("{\n  \"j\": {\n    \"x\": 1\n  },\n  \"k\": []\n}");
        assertThat(render("{{ 'ü'|tojson(ensure_ascii=true) }} {{ [1, 2]|tojson(separators=(',', ':')) }}"))
                .isEqualTo("\"\\u00fc\" [1,2]");
    }

    @Test
    void printsValuesAsPythonRepr() {
        assertThat(render("{{ [1, 'a', none, true, 1.0, (2,), {'k': \"it's\"}] }}"))
                .isEqualTo("[1, 'a', None, True, 1.0, (2,), {'k': \"it's\"}]");
        assertThat(render("{{ 1e16 }} {{ 1e15 }} {{ 0.0001 }} {{ 1e-5 }} {{ 0.1 + 0.2 }} {{ 1 / 3 }} {{ 10 / 2 }}"))
                .isEqualTo("1e+16 1000000000000000.0 0.0001 1e-05 0.30000000000000004 0.3333333333333333 5.0");
        assertThat(render("{{ x }}{{ none }}{{ true }}", "x", 3)).isEqualTo("3NoneTrue");
    }

    @Test
    void undefinedPrintsEmptyButFailsWhenUsed() {
        assertThat(render("[{{ nope }}][{{ d.zz }}][{{ d.zz is defined }}][{{ nope|length }}]", "d", Map.of()))
                .isEqualTo("[][][False][0]");
        assertThatThrownBy(() -> render("{{ nope.attr }}")).isInstanceOf(TemplateException.class)
                .hasMessage("chat template 1:9: UndefinedError: 'nope' is undefined");
    }

    @Test
    void errorsNameLineAndColumn() {
        assertThatThrownBy(() -> render("line one\n{% if x %}\n  {{ raise_exception('bad role') }}{% endif %}",
                "x", true)).isInstanceOf(TemplateException.class)
                .hasMessage("chat template 3:6: TemplateError: bad role");
        assertThatThrownBy(() -> render("ok\n{% for m in x %}{% endfor %}", "x", 5))
                .hasMessage("chat template 2:13: TypeError: 'int' object is not iterable");
        assertThatThrownBy(() -> render("{% if true %}\nunclosed"))
                .hasMessage("chat template 2:9: syntax error: unexpected end of template, expected 'elif' or 'else' or 'endif'");
        assertThatThrownBy(() -> render("{{ 'a' + }}")).hasMessage("chat template 1:10: syntax error: unexpected '}}'");
    }

    @Test
    void sandboxRefusesMutation() {
        assertThatThrownBy(() -> render("{{ l.append(1) }}", "l", List.of()))
                .hasMessageContaining("SecurityError: access to attribute 'append' of 'list' object is unsafe.");
    }

    @Test
    void macrosAndCallBlocks() {
        assertThat(render("{% macro m(a, b='x') %}{{ a }}{{ b }}{{ varargs|length }}{% endmacro %}"
                + "{{ m(1) }} {{ m(1, b=2) }} {{ m(1, 2, 3) }}")).isEqualTo("1x0 120 121");
        assertThat(render("{% macro box() %}[{{ caller('in') }}]{% endmacro %}{% call(v) box() %}{{ v }}{% endcall %}"))
                .isEqualTo("[in]");
    }

    @Test
    void strftimeNowUsesTheGivenClock() {
        assertThat(render("{{ strftime_now('%d %B %Y, %a %I:%M %p') }}")).isEqualTo("07 March 2025, Fri 02:05 PM");
    }
}
