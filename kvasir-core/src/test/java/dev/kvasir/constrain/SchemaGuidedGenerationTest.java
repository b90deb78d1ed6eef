package dev.kvasir.constrain;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.kvasir.SharedData;
import dev.kvasir.generate.GenerationRequest;
import dev.kvasir.generate.GenerationResult;
import dev.kvasir.generate.Generator;
import dev.kvasir.generate.StopReason;
import dev.kvasir.sample.SamplerSettings;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * stories260K (a 512-token story model that knows nothing of JSON) writes documents valid against each
 * schema when its sampling is constrained, greedy and sampled: the output is checked by an independent
 * validator (networknt json-schema-validator, draft 2020-12), and the generation ends with the model's
 * end-of-sequence token, which the grammar only allows once the document is complete. (Unbounded
 * strings are left out: this model, writing a story inside a string, does not close it within 600 tokens.)
 */
class SchemaGuidedGenerationTest {
    static Generator generator;
    static Constraints constraints;
    static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    @BeforeAll
    static void load() {
        generator = Generator.load(SharedData.model("stories260K.gguf"));
        constraints = new Constraints(generator.tokenizer());
    }

    @AfterAll
    static void close() {
        if (generator != null) {
            generator.close();
        }
    }

    static Stream<Arguments> schemas() {
        return Stream.of(
                Arguments.of("required and optional properties", """
                        {"type": "object", "properties": {"name": {"type": "string", "maxLength": 12},
                         "age": {"type": "integer", "minimum": 0, "maximum": 120}, "nickname": {"type": "string", "maxLength": 8}},
                         "required": ["name", "age"]}"""),
                Arguments.of("nested objects", """
                        {"type": "object", "properties": {"user": {"type": "object", "properties": {"id": {"type": "integer"},
                         "profile": {"type": "object", "properties": {"city": {"type": "string", "maxLength": 10}}, "required": ["city"]}},
                         "required": ["id", "profile"]}}, "required": ["user"]}"""),
                Arguments.of("array with min and max items", """
                        {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 9}, "minItems": 2, "maxItems": 4}"""),
                Arguments.of("string enum", """
                        {"type": "string", "enum": ["red", "green", "blue"]}"""),
                Arguments.of("const and numbers", """
                        {"type": "object", "properties": {"kind": {"const": "point"}, "x": {"type": "number"}, "y": {"type": "number"}},
                         "required": ["kind", "x", "y"], "additionalProperties": false}"""),
                Arguments.of("every primitive type", """
                        {"type": "object", "properties": {"s": {"type": "string", "maxLength": 6}, "n": {"type": "number"},
                         "i": {"type": "integer"}, "b": {"type": "boolean"}, "z": {"type": "null"}},
                         "required": ["s", "n", "i", "b", "z"]}"""),
                Arguments.of("anyOf", """
                        {"anyOf": [{"type": "integer"}, {"type": "object", "properties": {"error": {"type": "string", "maxLength": 10}},
                         "required": ["error"]}]}"""),
                Arguments.of("pattern and format", """
                        {"type": "object", "properties": {"code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2,4}$"},
                         "day": {"type": "string", "format": "date"}, "id": {"type": "string", "format": "uuid"}},
                         "required": ["code", "day", "id"]}"""),
                Arguments.of("additionalProperties false, all optional", """
                        {"type": "object", "properties": {"a": {"type": "boolean"}, "b": {"type": "boolean"}, "c": {"type": "null"}},
                         "additionalProperties": false}"""),
                Arguments.of("recursive $ref", """
                        {"$defs": {"node": {"type": "object", "properties": {"value": {"type": "integer", "minimum": 0, "maximum": 99},
                         "children": {"type": "array", "items": {"$ref": "#/$defs/node"}, "maxItems": 2}}, "required": ["value", "children"]}},
                         "$ref": "#/$defs/node"}"""),
                Arguments.of("nullable string", """
                        {"type": "object", "properties": {"note": {"type": ["string", "null"], "maxLength": 5}}, "required": ["note"]}"""),
                Arguments.of("tuple (prefixItems)", """
                        {"type": "array", "prefixItems": [{"type": "string", "maxLength": 4}, {"type": "integer"}, {"type": "boolean"}],
                         "items": false}"""),
                Arguments.of("array of objects with enums", """
                        {"type": "object", "properties": {"pets": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "object",
                         "properties": {"kind": {"enum": ["cat", "dog", 7, null]}, "legs": {"type": "integer", "minimum": 0}},
                         "required": ["kind", "legs"]}}}, "required": ["pets"]}"""),
                Arguments.of("oneOf of objects", """
                        {"oneOf": [{"type": "object", "properties": {"cat": {"type": "boolean"}}, "required": ["cat"]},
                         {"type": "object", "properties": {"dog": {"type": "integer"}}, "required": ["dog"]}]}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void greedyOutputIsValid(String name, String schema) {
        assertValid(schema, generate(schema, SamplerSettings.greedy()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void sampledOutputIsValid(String name, String schema) {
        for (long seed = 1; seed <= 3; seed++) {
            assertValid(schema, generate(schema, SamplerSettings.defaults().withTemperature(1.0f).withSeed(seed)));
        }
    }

    static GenerationResult generate(String schema, SamplerSettings sampling) {
        int[] prompt = generator.tokenize("Once upon a time, Lily wrote down her data:");
        GenerationRequest request = GenerationRequest.of(prompt, 600, sampling)
                .withConstraint(constraints.jsonSchema(schema).newMatcher());
        return generator.generate(request, generator.newCache(), (t, s) -> { });
    }

    static void assertValid(String schema, GenerationResult r) {
        assertThat(r.stopReason()).as("output %s", r.text()).isEqualTo(StopReason.END_OF_GENERATION);
        Schema validator = REGISTRY.getSchema(schema, InputFormat.JSON);
        List<Error> errors = validator.validate(r.text(), InputFormat.JSON);
        assertThat(errors).as("output %s", r.text()).isEmpty();
    }
}
