package dev.kvasir.safetensors;

import dev.kvasir.KvasirException;

/** A safetensors file that cannot be used; the one-line message names the file and the problem. */
public class SafetensorsException extends KvasirException {
    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
