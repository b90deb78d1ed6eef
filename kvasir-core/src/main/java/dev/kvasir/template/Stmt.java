package dev.kvasir.template;

import java.util.List;

/** Statement nodes of a parsed template. */
sealed interface Stmt {
    record Text(String text) implements Stmt {
    }

    record Print(Expr value) implements Stmt {
    }

    record If(List<Expr> tests, List<List<Stmt>> bodies, List<Stmt> otherwise) implements Stmt {
    }

    record For(int pos, Target target, Expr iterable, Expr filter, List<Stmt> body, List<Stmt> otherwise)
            implements Stmt {
    }

    record Set(int pos, Target target, Expr value) implements Stmt {
    }

    /** {@code {% set x %}...{% endset %}}, optionally filtered ({@code set x | trim}). */
    record SetBlock(int pos, Target target, List<Stmt> body, List<Expr.Filter> filters) implements Stmt {
    }

    record Macro(int pos, String name, List<String> params, List<Expr> defaults, List<Stmt> body) implements Stmt {
    }

    /** {@code {% call(params) macro(args) %}body{% endcall %}}: the body becomes caller(). */
    record CallBlock(int pos, Expr.Call call, List<String> params, List<Expr> defaults, List<Stmt> body)
            implements Stmt {
    }

    record With(List<Target> targets, List<Expr> values, List<Stmt> body) implements Stmt {
    }

    record FilterBlock(int pos, List<Expr.Filter> filters, List<Stmt> body) implements Stmt {
    }

    record Break() implements Stmt {
    }

    record Continue() implements Stmt {
    }

    /** Assignment targets: a name, {@code ns.attr}, or a tuple of names ({@code for k, v in ...}). */
    sealed interface Target {
        record Name(String name) implements Target {
        }

        record Attr(int pos, String object, String attribute) implements Target {
        }

        record Unpack(List<Target> names) implements Target {
        }
    }
}
