package dev.kvasir.tokenizer;

/** llama.cpp's token attribute as stored in GGUF {@code tokenizer.ggml.token_type}. */
public enum TokenType {
    UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    /** The type for a GGUF id; ids outside 0..6 are treated as UNDEFINED, as llama.cpp does. */
    public static TokenType byId(int id) {
        return id >= 0 && id < VALUES.length ? VALUES[id] : UNDEFINED;
    }

    public int id() {
        return ordinal();
    }

    private static final TokenType[] VALUES = values();
}
