package dev.kvasir.template;

import dev.kvasir.template.Stmt.Target;
import dev.kvasir.template.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Jinja2's statement parser (subparse / parse_statement) for the tags chat templates use. */
final class TemplateParser {
    private final TokenStream ts;
    private final ExpressionParser expr;
    private int loopDepth;

    private TemplateParser(Source source) {
        this.ts = new TokenStream(Lexer.tokenize(source), source);
        this.expr = new ExpressionParser(ts);
    }

    static List<Stmt> parse(Source source) {
        return new TemplateParser(source).subparse(Set.of());
    }

    /** Statements until EOF, or until a block whose tag name is in {@code endNames} (left unconsumed). */
    private List<Stmt> subparse(Set<String> endNames) {
        List<Stmt> body = new ArrayList<>();
        while (true) {
            Token t = ts.current();
            switch (t.kind()) {
                case TEXT -> body.add(new Stmt.Text(ts.next().value()));
                case VAR_BEGIN -> {
                    ts.next();
                    body.add(new Stmt.Print(expr.tuple(true, Set.of())));
                    ts.expect(Kind.VAR_END, "end of print statement '}}'");
                }
                case BLOCK_BEGIN -> {
                    ts.next();
                    if (ts.current().kind() == Kind.NAME && endNames.contains(ts.current().value())) {
                        return body;
                    }
                    body.add(statement());
                    ts.expect(Kind.BLOCK_END, "end of statement block '%}'");
                }
                case EOF -> {
                    if (!endNames.isEmpty()) {
                        throw ts.fail("unexpected end of template, expected '" + String.join("' or '", new TreeSet<>(endNames))
                                + "'");
                    }
                    return body;
                }
                default -> throw ts.fail("unexpected " + t.describe());
            }
        }
    }

    /** The body of a block: '%}' then statements up to one of endNames (consumed if dropNeedle). */
    private List<Stmt> statements(Set<String> endNames, boolean dropNeedle) {
        ts.skipOp(":");
        ts.expect(Kind.BLOCK_END, "end of statement block '%}'");
        List<Stmt> body = subparse(endNames);
        if (dropNeedle) {
            ts.next();
        }
        return body;
    }

    private Stmt statement() {
        Token t = ts.expectName("a statement name");
        return switch (t.value()) {
            case "if" -> parseIf();
            case "for" -> parseFor(t);
            case "set" -> parseSet(t);
            case "macro" -> parseMacro(t);
            case "call" -> parseCall(t);
            case "with" -> parseWith();
            case "filter" -> new Stmt.FilterBlock(t.pos(), filterChain(), statements(Set.of("endfilter"), true));
            case "break", "continue" -> {
                if (loopDepth == 0) {
                    throw ts.fail("'" + t.value() + "' outside of a for loop");
                }
                yield t.value().equals("break") ? new Stmt.Break() : new Stmt.Continue();
            }
            default -> throw ts.fail("unknown or unsupported tag '" + t.value() + "'");
        };
    }

    private Stmt parseIf() {
        List<Expr> tests = new ArrayList<>();
        List<List<Stmt>> bodies = new ArrayList<>();
        while (true) {
            tests.add(expr.tuple(false, Set.of()));
            bodies.add(statements(Set.of("elif", "else", "endif"), false));
            String end = ts.next().value();
            if (end.equals("else")) {
                return new Stmt.If(tests, bodies, statements(Set.of("endif"), true));
            }
            if (end.equals("endif")) {
                return new Stmt.If(tests, bodies, List.of());
            }
        }
    }

    private Stmt parseFor(Token start) {
        Target target = target(Set.of("in"));
        if (!ts.skipName("in")) {
            throw ts.fail("expected 'in' in for loop, got " + ts.current().describe());
        }
        Expr iterable = expr.tuple(false, Set.of("recursive"));
        Expr filter = ts.skipName("if") ? expr.expression() : null;
        if (ts.current().isName("recursive")) {
            throw ts.fail("recursive for loops are not supported");
        }
        loopDepth++;
        List<Stmt> body = statements(Set.of("endfor", "else"), false);
        loopDepth--;
        List<Stmt> otherwise = ts.next().value().equals("else") ? statements(Set.of("endfor"), true) : List.of();
        return new Stmt.For(start.pos(), target, iterable, filter, body, otherwise);
    }

    private Stmt parseSet(Token start) {
        Target target;
        if (ts.current().kind() == Kind.NAME && ts.look().isOp(".")) {
            Token object = ts.next();
            ts.next();
            target = new Target.Attr(object.pos(), object.value(), ts.expectName("an attribute name").value());
        } else {
            target = target(Set.of());
        }
        if (ts.skipOp("=")) {
            return new Stmt.Set(start.pos(), target, expr.tuple(true, Set.of()));
        }
        List<Expr.Filter> filters = ts.skipOp("|") ? filterChain() : List.of();
        int depth = loopDepth;
        loopDepth = 0;
        List<Stmt> body = statements(Set.of("endset"), true);
        loopDepth = depth;
        return new Stmt.SetBlock(start.pos(), target, body, filters);
    }

    private List<Expr.Filter> filterChain() {
        List<Expr.Filter> filters = new ArrayList<>();
        do {
            filters.add(expr.filter(null));
        } while (ts.skipOp("|"));
        return filters;
    }

    private Stmt parseMacro(Token start) {
        String name = ts.expectName("a macro name").value();
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        signature(params, defaults);
        int depth = loopDepth;
        loopDepth = 0;
        List<Stmt> body = statements(Set.of("endmacro"), true);
        loopDepth = depth;
        return new Stmt.Macro(start.pos(), name, params, defaults, body);
    }

    private void signature(List<String> params, List<Expr> defaults) {
        ts.expectOp("(");
        while (!ts.current().isOp(")")) {
            if (!params.isEmpty()) {
                ts.expectOp(",");
            }
            params.add(ts.expectName("a parameter name").value());
            if (ts.skipOp("=")) {
                defaults.add(expr.expression());
            } else if (!defaults.isEmpty()) {
                throw ts.fail("non-default argument follows default argument");
            }
        }
        ts.expectOp(")");
    }

    private Stmt parseCall(Token start) {
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        if (ts.current().isOp("(")) {
            signature(params, defaults);
        }
        if (!(expr.expression() instanceof Expr.Call call)) {
            throw ts.fail("expected a macro call after 'call'");
        }
        int depth = loopDepth;
        loopDepth = 0;
        List<Stmt> body = statements(Set.of("endcall"), true);
        loopDepth = depth;
        return new Stmt.CallBlock(start.pos(), call, params, defaults, body);
    }

    private Stmt parseWith() {
        List<Target> targets = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (ts.current().kind() != Kind.BLOCK_END) {
            if (!targets.isEmpty()) {
                ts.expectOp(",");
            }
            targets.add(new Target.Name(ts.expectName("a variable name").value()));
            ts.expectOp("=");
            values.add(expr.expression());
        }
        return new Stmt.With(targets, values, statements(Set.of("endwith"), true));
    }

    /** Assignment target: {@code name}, or names separated by commas (optionally parenthesized). */
    private Target target(Set<String> endNames) {
        List<Target> names = new ArrayList<>();
        boolean tuple = false;
        while (true) {
            if (ts.skipOp("(")) {
                names.add(target(Set.of()));
                ts.expectOp(")");
            } else {
                names.add(new Target.Name(ts.expectName("a variable name").value()));
            }
            if (!ts.skipOp(",")) {
                break;
            }
            tuple = true;
            Token t = ts.current();
            if (t.kind() != Kind.NAME && !t.isOp("(") || endNames.contains(t.value())) {
                break;
            }
        }
        return tuple ? new Target.Unpack(names) : names.getFirst();
    }
}
