package dev.kvasir.tokenizer;

import dev.kvasir.KvasirException;

/** A vocabulary that cannot be used: missing or inconsistent tokenizer metadata, unsupported model. */
public class TokenizerException extends KvasirException {
    public TokenizerException(String message) {
        super(message);
    }
}
