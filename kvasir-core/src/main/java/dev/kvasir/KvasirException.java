package dev.kvasir;

/**
 * An error caused by the user's input (a bad file, a wrong flag, a foreign cache) rather than by a bug.
 * Its message is one line meant for humans: what is wrong, which file or field, and what to do.
 * Front ends print the message alone and exit non-zero; the stack trace only with --verbose.
 */
public class KvasirException extends RuntimeException {
    public KvasirException(String message) {
        super(message);
    }

    public KvasirException(String message, Throwable cause) {
        super(message, cause);
    }
}
