package dev.kvasir.generate;

/**
 * One step of a generation: the token and the text that became final with it (see {@link TokenListener}).
 * A generation that ends while text is held back (a possible stop-string start, an unfinished UTF-8
 * character) releases it in a last element whose token is {@link #NO_TOKEN}.
 */
public record GeneratedToken(int token, String text) {
    public static final int NO_TOKEN = -1;

    public boolean isToken() {
        return token != NO_TOKEN;
    }
}
