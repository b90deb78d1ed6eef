package dev.kvasir.template;

/** One lexer token; {@code pos} is the offset in the (newline-normalized) template source. */
record Token(Kind kind, String value, int pos) {
    enum Kind { TEXT, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF }

    boolean is(Kind k, String v) {
        return kind == k && value.equals(v);
    }

    boolean isName(String v) {
        return is(Kind.NAME, v);
    }

    boolean isOp(String v) {
        return is(Kind.OPERATOR, v);
    }

    String describe() {
        return kind == Kind.EOF ? "end of template" : "'" + value + "'";
    }
}
