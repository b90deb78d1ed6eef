package dev.kvasir.tokenizer;

/**
 * llama.cpp's per-token attribute bits ({@code llama_token_attr}). A token can carry several: llama.cpp
 * ORs CONTROL into tokens whose text looks like an end-of-turn marker, and adds strip flags per model.
 */
public final class TokenAttr {
    public static final int UNDEFINED = 0;
    public static final int UNKNOWN = 1;
    public static final int UNUSED = 1 << 1;
    public static final int NORMAL = 1 << 2;
    public static final int CONTROL = 1 << 3;
    public static final int USER_DEFINED = 1 << 4;
    public static final int BYTE = 1 << 5;
    public static final int NORMALIZED = 1 << 6;
    /** Swallow the whitespace left of this token when it is parsed out of text. */
    public static final int LSTRIP = 1 << 7;
    /** Swallow the whitespace right of this token when it is parsed out of text. */
    public static final int RSTRIP = 1 << 8;
    public static final int SINGLE_WORD = 1 << 9;

    private TokenAttr() {
    }

    /** The attribute llama.cpp derives from a GGUF {@code token_type} value. */
    public static int fromType(TokenType type) {
        return switch (type) {
            case UNDEFINED -> UNDEFINED;
            case NORMAL -> NORMAL;
            case UNKNOWN -> UNKNOWN;
            case CONTROL -> CONTROL;
            case USER_DEFINED -> USER_DEFINED;
            case UNUSED -> UNUSED;
            case BYTE -> BYTE;
        };
    }
}
