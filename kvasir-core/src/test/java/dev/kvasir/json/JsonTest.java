package dev.kvasir.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    /** An ordered map from alternating keys and values. */
    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> sample() {
        return map(
                "name", "h\u00e9llo \uD83D\uDE00 \"q\" \\ /\n\t\u0001\u007f",
                "n", List.of(0, -5L, 12345678901234L, 1.0, 0.1, -2.5e-05, 1e16, 1.5e300, 123456789.125, 1e-4, 0.00012,
                        Double.NaN, Double.POSITIVE_INFINITY, -0.0),
                "b", Arrays.asList(true, false, null),
                "e", map(),
                "a", List.of(),
                "nested", map("k", List.of(1, map("x", "y"))));
    }

    @Test
    void pythonStyleMatchesPythonJsonDumps() {
        // expected strings printed by Python 3's json.dumps for the same value
        assertThat(Json.write(sample(), JsonStyle.PYTHON)).isEqualTo(
                "{\"name\": \"h\\u00e9llo \\ud83d\\ude00 \\\"q\\\" \\\\ /\\n\\t\\u0001\\u007f\", \"n\": [0, -5, 12345678901234,"
                + " 1.0, 0.1, -2.5e-05, 1e+16, 1.5e+300, 123456789.125, 0.0001, 0.00012, NaN, Infinity, -0.0],"
                + " \"b\": [true, false, null], \"e\": {}, \"a\": [], \"nested\": {\"k\": [1, {\"x\": \"y\"}]}}");
        assertThat(Json.write(map("b", List.of(1, map()), "a", "x"), JsonStyle.PYTHON.withIndent(2).withSortKeys(true)))
                .isEqualTo("{\n  \"a\": \"x\",\n  \"b\": [\n    1,\n    {}\n  ]\n}");
    }

    @Test
    void compactStyleWritesUnicodeAsIs() {
        assertThat(Json.write(sample())).isEqualTo(
                "{\"name\":\"h\u00e9llo \uD83D\uDE00 \\\"q\\\" \\\\ /\\n\\t\\u0001\u007f\",\"n\":[0,-5,12345678901234,1.0,0.1,"
                + "-2.5e-05,1e+16,1.5e+300,123456789.125,0.0001,0.00012,NaN,Infinity,-0.0],\"b\":[true,false,null],"
                + "\"e\":{},\"a\":[],\"nested\":{\"k\":[1,{\"x\":\"y\"}]}}");
    }

    @Test
    void floatsAreWrittenLikePythonRepr() {
        double[] values = {1e22, Double.MAX_VALUE, Double.MIN_VALUE, 100.0, 1234567890123456.0, 12345678901234567.0, 0.3,
            Math.pow(2, -20)};
        String[] python = {"1e+22", "1.7976931348623157e+308", "5e-324", "100.0", "1234567890123456.0",
            "1.2345678901234568e+16", "0.3", "9.5367431640625e-07"};
        for (int i = 0; i < values.length; i++) {
            assertThat(JsonWriter.pythonFloat(values[i])).isEqualTo(python[i]);
        }
        assertThat(Json.write(new float[] {0.5f, 0.1f})).isEqualTo("[0.5,0.10000000149011612]");
        assertThat(Json.write(new long[] {1, 2})).isEqualTo("[1,2]");
    }

    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"s\": \"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"i\": -42, \"big\": 123456789012345678901,"
                + " \"d\": 1.5e2, \"z\": -0, \"f\": 0.25, \"t\": true, \"no\": false, \"nil\": null, \"arr\": [[], {}, [1]]}\n");
        assertThat(v).isEqualTo(map("s", "a\"\\/\b\f\n\r\t\u00e9\uD83D\uDE00", "i", -42L, "big", 1.2345678901234568E20,
                "d", 150.0, "z", 0L, "f", 0.25, "t", true, "no", false, "nil", null,
                "arr", List.of(List.of(), map(), List.of(1L))));
        assertThat(new ArrayList<Object>(((Map<?, ?>) v).keySet())).containsExactly("s", "i", "big", "d", "z", "f", "t", "no", "nil", "arr");
    }

    @Test
    void writeThenParseRoundTrips() {
        Map<String, Object> v = map("a", List.of(1L, 2.5, "x", map("k", Arrays.asList(null, true))), "u", "\u2028\u0000");
        assertThat(Json.parse(Json.write(v))).isEqualTo(v);
        assertThat(Json.parse(Json.write(v, JsonStyle.PYTHON.withIndent(4)))).isEqualTo(v);
    }

    @Test
    void refusesMalformedJsonWithPosition() {
        assertError("", "line 1, column 1: unexpected end of input, expected a value");
        assertError("{\"a\":1,}", "line 1, column 8: unexpected '}', expected a string key");
        assertError("[1,]", "line 1, column 4: unexpected ']', expected a value");
        assertError("{\"a\" 1}", "line 1, column 6: unexpected '1', expected ':'");
        assertError("{\n \"a\": 1,\n \"a\": 2}", "line 3, column 2: duplicate key \"a\"");
        assertError("[01]", "line 1, column 3: leading zero in number");
        assertError("[1.]", "line 1, column 4: unexpected ']' in number, expected a digit");
        assertError("[-]", "line 1, column 3: unexpected ']' in number, expected a digit");
        assertError("[+1]", "line 1, column 2: unexpected '+', expected a value");
        assertError("[NaN]", "line 1, column 2: unexpected 'N', expected a value");
        assertError("['a']", "line 1, column 2: unexpected ''', expected a value");
        assertError("[\"a\tb\"]", "line 1, column 4: unescaped control character U+0009 in string");
        assertError("[\"\\x\"]", "line 1, column 3: invalid escape \\x in string");
        assertError("[\"\\u12g4\"]", "line 1, column 5: invalid \\u escape");
        assertError("[\"abc", "line 1, column 6: unterminated string");
        assertError("{} {}", "line 1, column 4: unexpected '{' after the JSON value");
        assertError("[tru]", "line 1, column 2: unexpected 't', expected a value");
        assertError("\uFEFF{}", "line 1, column 1: unexpected character U+FEFF, expected a value");
        assertError("[1 2]", "line 1, column 4: unexpected '2', expected ',' or ']'");
        assertError("[".repeat(600), "nesting deeper than 512 levels");
    }

    private static void assertError(String json, String message) {
        assertThatThrownBy(() -> Json.parse(json)).isInstanceOf(JsonException.class)
                .hasMessageEndingWith(message).hasMessageStartingWith("invalid JSON at ");
    }

    @Test
    void refusesValuesJsonCannotHold() {
        Map<Object, Object> intKeys = new LinkedHashMap<>();
        intKeys.put(1, "x");
        assertThatThrownBy(() -> Json.write(intKeys)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("JSON object keys must be strings, got 1");
        assertThatThrownBy(() -> Json.write(new ArrayList<>(List.of(new Object()))))
                .hasMessage("cannot write a java.lang.Object as JSON");
    }
}
