package dev.kvasir.api;

/**
 * What shape the answer takes. JSON formats are enforced while sampling (a grammar over token ids), so even
 * a tiny model writes parseable JSON, and a schema-constrained answer is valid against its schema once
 * complete (an answer cut by {@link Params#maxTokens()} may be unfinished).
 */
public sealed interface ResponseFormat {
    /** Free text: no constraint. */
    record Text() implements ResponseFormat {
    }

    /** Any JSON object (OpenAI's {@code json_object}). */
    record JsonObject() implements ResponseFormat {
    }

    /** JSON valid against {@code schema}, a JSON Schema document as text (OpenAI's {@code json_schema}). */
    record JsonSchema(String schema) implements ResponseFormat {
        public JsonSchema {
            if (schema == null || schema.isBlank()) {
                throw new IllegalArgumentException("a JSON schema response format needs the schema text");
            }
        }
    }

    static ResponseFormat text() {
        return new Text();
    }

    static ResponseFormat jsonObject() {
        return new JsonObject();
    }

    static ResponseFormat jsonSchema(String schema) {
        return new JsonSchema(schema);
    }
}
