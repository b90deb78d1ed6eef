package dev.kvasir.template;

import dev.kvasir.template.Token.Kind;
import java.util.List;

/** Cursor over the lexer's tokens with Jinja2-style expect/skip helpers. */
final class TokenStream {
    private final List<Token> tokens;
    private final Source source;
    private int index;

    TokenStream(List<Token> tokens, Source source) {
        this.tokens = tokens;
        this.source = source;
    }

    Token current() {
        return tokens.get(index);
    }

    Token look() {
        return tokens.get(Math.min(index + 1, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Kind.EOF) {
            index++;
        }
        return t;
    }

    boolean skipOp(String op) {
        if (current().isOp(op)) {
            index++;
            return true;
        }
        return false;
    }

    boolean skipName(String name) {
        if (current().isName(name)) {
            index++;
            return true;
        }
        return false;
    }

    Token expectOp(String op) {
        if (!current().isOp(op)) {
            throw fail("expected '" + op + "', got " + current().describe());
        }
        return next();
    }

    Token expectName(String what) {
        if (current().kind() != Kind.NAME) {
            throw fail("expected " + what + ", got " + current().describe());
        }
        return next();
    }

    Token expect(Kind kind, String what) {
        if (current().kind() != kind) {
            throw fail("expected " + what + ", got " + current().describe());
        }
        return next();
    }

    TemplateException fail(String message) {
        return source.syntaxError(current().pos(), message);
    }
}
