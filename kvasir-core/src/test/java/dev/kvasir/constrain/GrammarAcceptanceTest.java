package dev.kvasir.constrain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The compiled grammars accept exactly the documents they should, byte by byte. */
class GrammarAcceptanceTest {
    static Constraints constraints;

    @BeforeAll
    static void load() {
        constraints = new Constraints(Tokenizer.of(dev.kvasir.gguf.GgufFile.open(SharedData.model("stories260K.gguf"))));
    }

    static boolean accepts(String schema, String doc) {
        GrammarMatcher m = constraints.jsonSchema(schema).newMatcher();
        return m.acceptBytes(doc.getBytes(StandardCharsets.UTF_8)) && m.isComplete();
    }

    @Test
    void maskAtStart() {
        GrammarMatcher m = constraints.jsonSchema("{\"enum\": [\"red\", 7, null]}").newMatcher();
        float[] logits = new float[512];
        m.mask(logits);
        int allowed = 0;
        for (float f : logits) {
            allowed += f == 0 ? 1 : 0;
        }
        assertThat(allowed).isGreaterThan(2);
    }

    @Test
    void enumAndConst() {
        String s = "{\"enum\": [\"red\", 7, null]}";
        assertThat(accepts(s, "\"red\"")).isTrue();
        assertThat(accepts(s, "7")).isTrue();
        assertThat(accepts(s, "null")).isTrue();
        assertThat(accepts(s, "\"re\"")).isFalse();
        assertThat(accepts(s, "8")).isFalse();
    }

    @Test
    void objectsKeepOrderRequiredAndNoExtras() {
        String s = "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\"}, \"b\": {\"type\": \"boolean\"}},"
                + " \"required\": [\"b\"]}";
        assertThat(accepts(s, "{\"a\": 1, \"b\": true}")).isTrue();
        assertThat(accepts(s, "{\"b\":false}")).isTrue();
        assertThat(accepts(s, "{ \"a\" : -12 ,\n  \"b\" : true }")).isTrue();
        assertThat(accepts(s, "{\"a\": 1}")).isFalse();
        assertThat(accepts(s, "{\"b\": true, \"c\": 1}")).isFalse();
        assertThat(accepts(s, "{\"a\": 01, \"b\": true}")).isFalse();
        assertThat(accepts(s, "{\"a\": 1,, \"b\": true}")).isFalse();
        assertThat(accepts(s, "{,\"b\": true}")).isFalse();
    }

    @Test
    void arraysCountItems() {
        String s = "{\"type\": \"array\", \"items\": {\"type\": \"string\", \"maxLength\": 2}, \"minItems\": 1, \"maxItems\": 2}";
        assertThat(accepts(s, "[\"a\"]")).isTrue();
        assertThat(accepts(s, "[\"a\", \"\\n\"]")).isTrue();
        assertThat(accepts(s, "[]")).isFalse();
        assertThat(accepts(s, "[\"a\", \"b\", \"c\"]")).isFalse();
        assertThat(accepts(s, "[\"abc\"]")).isFalse();
    }

    @Test
    void patternsAndFormats() {
        String s = "{\"type\": \"string\", \"pattern\": \"^(ab|c)+[0-9]{2}\\\\.x?$\"}";
        assertThat(accepts(s, "\"abcab12.x\"")).isTrue();
        assertThat(accepts(s, "\"c99.\"")).isTrue();
        assertThat(accepts(s, "\"ab1.\"")).isFalse();
        assertThat(accepts(s, "\"12.\"")).isFalse();
        String date = "{\"type\": \"string\", \"format\": \"date\"}";
        assertThat(accepts(date, "\"2026-12-04\"")).isTrue();
        assertThat(accepts(date, "\"2026-13-04\"")).isFalse();
    }

    @Test
    void anyJsonAcceptsNestedValuesAndUtf8() {
        String s = "{\"type\": \"object\"}";
        assertThat(accepts(s, "{\"k\": [1, 2.5e3, {\"x\": null}], \"\u00e9t\u00e9\": \"\\u00e9\\\"\"}")).isTrue();
        assertThat(accepts(s, "{}")).isTrue();
        assertThat(accepts(s, "[1]")).isFalse();
        assertThat(accepts(s, "{\"k\": tru}")).isFalse();
        assertThat(accepts("true", "[{\"a\": [[]]}, false]")).isTrue();
    }

    @Test
    void unsupportedKeywordsAreRefusedByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Grammar.jsonSchema("{\"type\": \"array\", \"uniqueItems\": true}"))
                .isInstanceOf(SchemaException.class).hasMessageContaining("uniqueItems");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Grammar.jsonSchema("{\"type\": \"string\", \"format\": \"email\"}"))
                .isInstanceOf(SchemaException.class).hasMessageContaining("email");
    }

    @Test
    void endOfGenerationOnlyWhenComplete() {
        GrammarMatcher m = constraints.jsonSchema("{\"const\": [1]}").newMatcher();
        int eos = 2;
        assertThat(m.allows(eos)).isFalse();
        assertThat(m.acceptBytes("[1".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(m.allows(eos)).isFalse();
        assertThat(m.acceptBytes("x".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(m.acceptBytes("]".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(m.allows(eos)).isTrue();
        float[] logits = new float[512];
        m.mask(logits);
        for (int t = 0; t < logits.length; t++) {
            assertThat(logits[t]).as("token %d", t).isEqualTo(t == eos ? 0f : Float.NEGATIVE_INFINITY);
        }
    }
}
