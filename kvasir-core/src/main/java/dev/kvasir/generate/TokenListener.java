package dev.kvasir.generate;

/**
 * Receives each generated token as it is produced. {@code text} is the output that became final
 * with this token: it never ends inside a UTF-8 character and never contains (the start of) a stop
 * string, so it may be empty when text is held back.
 */
@FunctionalInterface
public interface TokenListener {
    void onToken(int token, String text);
}
