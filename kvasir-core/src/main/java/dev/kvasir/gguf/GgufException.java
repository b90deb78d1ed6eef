package dev.kvasir.gguf;

import dev.kvasir.KvasirException;

/** A GGUF file that cannot be used: the one-line message names the file, the problem and, if possible, the fix. */
public class GgufException extends KvasirException {
    public GgufException(String message) {
        super(message);
    }

    public GgufException(String message, Throwable cause) {
        super(message, cause);
    }
}
