package dev.kvasir.constrain;

import dev.kvasir.KvasirException;

/** A JSON schema that cannot be turned into a grammar: invalid, or using a keyword outside the supported subset. */
public class SchemaException extends KvasirException {
    public SchemaException(String message) {
        super(message);
    }
}
