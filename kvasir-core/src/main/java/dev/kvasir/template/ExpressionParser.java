package dev.kvasir.template;

import dev.kvasir.template.Expr.Args;
import dev.kvasir.template.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Jinja2's expression grammar with its precedence (parse_condexpr down to parse_primary). */
final class ExpressionParser {
    private static final Set<String> COMPARE_OPS = Set.of("==", "!=", "<", "<=", ">", ">=");
    private static final Set<String> MUL_OPS = Set.of("*", "/", "//", "%");

    private final TokenStream ts;

    ExpressionParser(TokenStream ts) {
        this.ts = ts;
    }

    Expr expression() {
        return condExpr();
    }

    /** parse_tuple: comma-separated expressions make a tuple unless there is just one. */
    Expr tuple(boolean withCondExpr, Set<String> extraEndNames) {
        return tuple(withCondExpr, extraEndNames, false);
    }

    private Expr tuple(boolean withCondExpr, Set<String> extraEndNames, boolean explicitParentheses) {
        int pos = ts.current().pos();
        List<Expr> items = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!items.isEmpty()) {
                ts.expectOp(",");
            }
            if (tupleEnd(extraEndNames)) {
                break;
            }
            items.add(withCondExpr ? condExpr() : or());
            if (ts.current().isOp(",")) {
                isTuple = true;
            } else {
                break;
            }
        }
        if (!isTuple && !(items.isEmpty() && explicitParentheses)) {
            if (items.isEmpty()) {
                throw ts.fail("expected an expression, got " + ts.current().describe());
            }
            return items.getFirst();
        }
        return new Expr.TupleLit(pos, items);
    }

    private boolean tupleEnd(Set<String> extraEndNames) {
        Token t = ts.current();
        return t.kind() == Kind.VAR_END || t.kind() == Kind.BLOCK_END || t.isOp(")")
                || (t.kind() == Kind.NAME && extraEndNames.contains(t.value()));
    }

    private Expr condExpr() {
        Expr expr = or();
        while (ts.current().isName("if")) {
            int pos = ts.next().pos();
            Expr test = or();
            Expr otherwise = ts.skipName("else") ? condExpr() : null;
            expr = new Expr.CondExpr(pos, test, expr, otherwise);
        }
        return expr;
    }

    Expr or() {
        Expr left = and();
        while (ts.current().isName("or")) {
            int pos = ts.next().pos();
            left = new Expr.Or(pos, left, and());
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (ts.current().isName("and")) {
            int pos = ts.next().pos();
            left = new Expr.And(pos, left, not());
        }
        return left;
    }

    private Expr not() {
        if (ts.current().isName("not")) {
            int pos = ts.next().pos();
            return new Expr.Not(pos, not());
        }
        return compare();
    }

    private Expr compare() {
        int pos = ts.current().pos();
        Expr first = math1();
        List<String> ops = new ArrayList<>();
        List<Expr> rest = new ArrayList<>();
        while (true) {
            Token t = ts.current();
            if (t.kind() == Kind.OPERATOR && COMPARE_OPS.contains(t.value())) {
                ts.next();
                ops.add(t.value());
            } else if (t.isName("in")) {
                ts.next();
                ops.add("in");
            } else if (t.isName("not") && ts.look().isName("in")) {
                ts.next();
                ts.next();
                ops.add("notin");
            } else {
                break;
            }
            rest.add(math1());
        }
        return ops.isEmpty() ? first : new Expr.Compare(pos, first, ops, rest);
    }

    private Expr math1() {
        Expr left = concat();
        while (ts.current().isOp("+") || ts.current().isOp("-")) {
            Token op = ts.next();
            left = new Expr.Binary(op.pos(), op.value(), left, concat());
        }
        return left;
    }

    private Expr concat() {
        int pos = ts.current().pos();
        List<Expr> parts = new ArrayList<>(List.of(math2()));
        while (ts.skipOp("~")) {
            parts.add(math2());
        }
        return parts.size() == 1 ? parts.getFirst() : new Expr.Concat(pos, parts);
    }

    private Expr math2() {
        Expr left = pow();
        while (ts.current().kind() == Kind.OPERATOR && MUL_OPS.contains(ts.current().value())) {
            Token op = ts.next();
            left = new Expr.Binary(op.pos(), op.value(), left, pow());
        }
        return left;
    }

    private Expr pow() {
        Expr left = unary(true);
        while (ts.current().isOp("**")) {
            Token op = ts.next();
            left = new Expr.Binary(op.pos(), "**", left, unary(true));
        }
        return left;
    }

    private Expr unary(boolean withFilter) {
        Token t = ts.current();
        Expr node;
        if (t.isOp("-")) {
            ts.next();
            node = new Expr.Neg(t.pos(), unary(false));
        } else if (t.isOp("+")) {
            ts.next();
            node = unary(false);
        } else {
            node = primary();
        }
        node = postfix(node);
        return withFilter ? filterExpr(node) : node;
    }

    private Expr primary() {
        Token t = ts.current();
        switch (t.kind()) {
            case NAME -> {
                ts.next();
                return switch (t.value()) {
                    case "true", "True" -> new Expr.Const(t.pos(), true);
                    case "false", "False" -> new Expr.Const(t.pos(), false);
                    case "none", "None" -> new Expr.Const(t.pos(), null);
                    default -> new Expr.Name(t.pos(), t.value());
                };
            }
            case STRING -> {
                StringBuilder sb = new StringBuilder();
                while (ts.current().kind() == Kind.STRING) {
                    sb.append(ts.next().value());
                }
                return new Expr.Const(t.pos(), sb.toString());
            }
            case INTEGER -> {
                ts.next();
                return new Expr.Const(t.pos(), parseInteger(t));
            }
            case FLOAT -> {
                ts.next();
                return new Expr.Const(t.pos(), Double.parseDouble(t.value()));
            }
            case OPERATOR -> {
                switch (t.value()) {
                    case "(" -> {
                        ts.next();
                        Expr e = tuple(true, Set.of(), true);
                        ts.expectOp(")");
                        return e;
                    }
                    case "[" -> {
                        return list();
                    }
                    case "{" -> {
                        return dict();
                    }
                    default -> {
                    }
                }
            }
            default -> {
            }
        }
        throw ts.fail("unexpected " + t.describe());
    }

    private Object parseInteger(Token t) {
        String v = t.value().toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.startsWith("0x")) {
                return Long.parseLong(v.substring(2), 16);
            } else if (v.startsWith("0o")) {
                return Long.parseLong(v.substring(2), 8);
            } else if (v.startsWith("0b")) {
                return Long.parseLong(v.substring(2), 2);
            }
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ts.fail("integer literal " + t.value() + " is too large");
        }
    }

    private Expr list() {
        int pos = ts.expectOp("[").pos();
        List<Expr> items = new ArrayList<>();
        while (!ts.current().isOp("]")) {
            if (!items.isEmpty()) {
                ts.expectOp(",");
            }
            if (ts.current().isOp("]")) {
                break;
            }
            items.add(expression());
        }
        ts.expectOp("]");
        return new Expr.ListLit(pos, items);
    }

    private Expr dict() {
        int pos = ts.expectOp("{").pos();
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!ts.current().isOp("}")) {
            if (!keys.isEmpty()) {
                ts.expectOp(",");
            }
            if (ts.current().isOp("}")) {
                break;
            }
            keys.add(expression());
            ts.expectOp(":");
            values.add(expression());
        }
        ts.expectOp("}");
        return new Expr.DictLit(pos, keys, values);
    }

    Expr postfix(Expr node) {
        while (true) {
            Token t = ts.current();
            if (t.isOp(".")) {
                ts.next();
                Token attr = ts.next();
                if (attr.kind() == Kind.NAME) {
                    node = new Expr.GetAttr(attr.pos(), node, attr.value());
                } else if (attr.kind() == Kind.INTEGER) {
                    node = new Expr.GetItem(attr.pos(), node, new Expr.Const(attr.pos(), parseInteger(attr)));
                } else {
                    throw ts.fail("expected name or number after '.', got " + attr.describe());
                }
            } else if (t.isOp("[")) {
                ts.next();
                node = new Expr.GetItem(t.pos(), node, subscript());
            } else if (t.isOp("(")) {
                node = new Expr.Call(node.pos(), node, callArgs());
            } else {
                return node;
            }
        }
    }

    private Expr subscript() {
        int pos = ts.current().pos();
        List<Expr> keys = new ArrayList<>();
        while (!ts.current().isOp("]")) {
            if (!keys.isEmpty()) {
                ts.expectOp(",");
                if (ts.current().isOp("]")) {
                    break;
                }
            }
            keys.add(subscribed());
        }
        ts.expectOp("]");
        if (keys.isEmpty()) {
            throw ts.fail("expected a subscript");
        }
        return keys.size() == 1 ? keys.getFirst() : new Expr.TupleLit(pos, keys);
    }

    private Expr subscribed() {
        int pos = ts.current().pos();
        Expr start = null;
        if (!ts.current().isOp(":")) {
            start = expression();
            if (!ts.current().isOp(":")) {
                return start;
            }
        }
        ts.expectOp(":");
        Expr stop = sliceEnd() ? null : expression();
        Expr step = null;
        if (ts.skipOp(":")) {
            step = sliceEnd() ? null : expression();
        }
        return new Expr.Slice(pos, start, stop, step);
    }

    private boolean sliceEnd() {
        Token t = ts.current();
        return t.isOp("]") || t.isOp(",") || t.isOp(":");
    }

    Args callArgs() {
        ts.expectOp("(");
        List<Expr> positional = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Expr> keywords = new ArrayList<>();
        Expr star = null;
        Expr doubleStar = null;
        boolean first = true;
        while (!ts.current().isOp(")")) {
            if (!first) {
                ts.expectOp(",");
                if (ts.current().isOp(")")) {
                    break;
                }
            }
            first = false;
            if (ts.skipOp("*")) {
                star = expression();
            } else if (ts.skipOp("**")) {
                doubleStar = expression();
            } else if (ts.current().kind() == Kind.NAME && ts.look().isOp("=")) {
                names.add(ts.next().value());
                ts.next();
                keywords.add(expression());
            } else {
                if (!names.isEmpty()) {
                    throw ts.fail("positional argument follows keyword argument");
                }
                positional.add(expression());
            }
        }
        ts.expectOp(")");
        return new Args(positional, names, keywords, star, doubleStar);
    }

    private Expr filterExpr(Expr node) {
        while (true) {
            Token t = ts.current();
            if (t.isOp("|")) {
                ts.next();
                node = filter(node);
            } else if (t.isName("is")) {
                ts.next();
                node = test(node, t.pos());
            } else if (t.isOp("(")) {
                node = new Expr.Call(node.pos(), node, callArgs());
            } else {
                return node;
            }
        }
    }

    /** One {@code name(args)} after a '|' (value may be null for filter blocks / set blocks). */
    Expr.Filter filter(Expr value) {
        Token name = ts.expectName("a filter name");
        String full = name.value();
        while (ts.current().isOp(".")) {
            ts.next();
            full += "." + ts.expectName("a filter name").value();
        }
        Args args = ts.current().isOp("(") ? callArgs() : Args.NONE;
        return new Expr.Filter(name.pos(), value, full, args);
    }

    private Expr test(Expr value, int pos) {
        boolean negated = ts.skipName("not");
        Token name = ts.expectName("a test name");
        String full = name.value();
        while (ts.current().isOp(".")) {
            ts.next();
            full += "." + ts.expectName("a test name").value();
        }
        Args args = Args.NONE;
        Token t = ts.current();
        if (t.isOp("(")) {
            args = callArgs();
        } else if (startsTestArgument(t)) {
            if (t.isName("is")) {
                throw ts.fail("you cannot chain multiple tests with is");
            }
            Expr arg = postfix(primary());
            args = new Args(List.of(arg), List.of(), List.of(), null, null);
        }
        Expr node = new Expr.Test(name.pos(), value, full, args);
        return negated ? new Expr.Not(pos, node) : node;
    }

    private static boolean startsTestArgument(Token t) {
        boolean starts = switch (t.kind()) {
            case NAME, STRING, INTEGER, FLOAT -> true;
            case OPERATOR -> t.value().equals("(") || t.value().equals("[") || t.value().equals("{");
            default -> false;
        };
        return starts && !t.isName("else") && !t.isName("or") && !t.isName("and");
    }
}
