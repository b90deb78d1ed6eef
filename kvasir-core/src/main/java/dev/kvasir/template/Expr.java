package dev.kvasir.template;

import java.util.List;

/** Expression nodes. {@code pos} is the source offset used in error messages. */
sealed interface Expr {
    int pos();

    record Const(int pos, Object value) implements Expr {
    }

    record Name(int pos, String name) implements Expr {
    }

    record ListLit(int pos, List<Expr> items) implements Expr {
    }

    record TupleLit(int pos, List<Expr> items) implements Expr {
    }

    record DictLit(int pos, List<Expr> keys, List<Expr> values) implements Expr {
    }

    /** {@code obj.name}: Python getattr first, then item lookup (Jinja2's environment.getattr). */
    record GetAttr(int pos, Expr obj, String name) implements Expr {
    }

    /** {@code obj[key]}: item lookup first, then getattr (Jinja2's environment.getitem). */
    record GetItem(int pos, Expr obj, Expr key) implements Expr {
    }

    /** Only valid as a GetItem key; null parts are omitted ({@code [::-1]}). */
    record Slice(int pos, Expr start, Expr stop, Expr step) implements Expr {
    }

    record Call(int pos, Expr callee, Args args) implements Expr {
    }

    /** {@code value|name(args)}. */
    record Filter(int pos, Expr value, String name, Args args) implements Expr {
    }

    /** {@code value is name(args)} (negation is a surrounding Not). */
    record Test(int pos, Expr value, String name, Args args) implements Expr {
    }

    record Not(int pos, Expr operand) implements Expr {
    }

    record Neg(int pos, Expr operand) implements Expr {
    }

    record And(int pos, Expr left, Expr right) implements Expr {
    }

    record Or(int pos, Expr left, Expr right) implements Expr {
    }

    /** Arithmetic: + - * / // % **. */
    record Binary(int pos, String op, Expr left, Expr right) implements Expr {
    }

    /** {@code a ~ b ~ c}: string concatenation of str() values. */
    record Concat(int pos, List<Expr> parts) implements Expr {
    }

    /** Chained comparison {@code a < b <= c}; ops are == != < <= > >= in notin. */
    record Compare(int pos, Expr first, List<String> ops, List<Expr> rest) implements Expr {
    }

    /** {@code then if test else otherwise}; a missing else yields Undefined. */
    record CondExpr(int pos, Expr test, Expr then, Expr otherwise) implements Expr {
    }

    /** Call arguments: positional, keyword (in order), and optional *args / **kwargs. */
    record Args(List<Expr> positional, List<String> names, List<Expr> keywords, Expr star, Expr doubleStar) {
        static final Args NONE = new Args(List.of(), List.of(), List.of(), null, null);
    }
}
