package dev.kvasir.json;

import dev.kvasir.KvasirException;

/** Malformed JSON: the one-line message says where (line, column) and what was expected. */
public class JsonException extends KvasirException {
    public JsonException(String message) {
        super(message);
    }
}
