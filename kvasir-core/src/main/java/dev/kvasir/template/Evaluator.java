package dev.kvasir.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluates expressions with Python semantics; errors get the position of the innermost failing node. */
final class Evaluator {
    private final Source source;

    Evaluator(Source source) {
        this.source = source;
    }

    Object eval(Expr e, Scope scope) {
        try {
            return evalNode(e, scope);
        } catch (PyError err) {
            throw source.error(e.pos(), err.getMessage());
        } catch (ArithmeticException err) {
            throw source.error(e.pos(), "OverflowError: integer result does not fit in 64 bits");
        }
    }

    TemplateException error(int pos, PyError err) {
        return source.error(pos, err.getMessage());
    }

    private Object evalNode(Expr e, Scope scope) {
        return switch (e) {
            case Expr.Const c -> c.value();
            case Expr.Name n -> {
                Object v = scope.lookup(n.name());
                yield v == Scope.MISSING ? Undefined.name(n.name()) : v;
            }
            case Expr.ListLit l -> evalAll(l.items(), scope);
            case Expr.TupleLit t -> new PyTuple(evalAll(t.items(), scope));
            case Expr.DictLit d -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < d.keys().size(); i++) {
                    map.put(eval(d.keys().get(i), scope), eval(d.values().get(i), scope));
                }
                yield map;
            }
            case Expr.GetAttr g -> Attributes.getattr(eval(g.obj(), scope), g.name());
            case Expr.GetItem g -> Attributes.getitem(eval(g.obj(), scope), key(g.key(), scope));
            case Expr.Slice s -> throw new PyError("TemplateSyntaxError", "a slice is only valid inside [ ]");
            case Expr.Call c -> call(eval(c.callee(), scope), c.args(), scope, null);
            case Expr.Filter f -> {
                List<Object> args = new ArrayList<>();
                Map<String, Object> kwargs = new LinkedHashMap<>();
                bind(f.args(), scope, args, kwargs);
                yield Filters.apply(f.name(), eval(f.value(), scope), args, kwargs);
            }
            case Expr.Test t -> {
                Object value = eval(t.value(), scope);
                List<Object> args = new ArrayList<>();
                bind(t.args(), scope, args, new LinkedHashMap<>());
                yield Tests.apply(t.name(), value, args);
            }
            case Expr.Not n -> !Py.truthy(eval(n.operand(), scope));
            case Expr.Neg n -> PyOps.negate(eval(n.operand(), scope));
            case Expr.And a -> {
                Object left = eval(a.left(), scope);
                yield Py.truthy(left) ? eval(a.right(), scope) : left;
            }
            case Expr.Or o -> {
                Object left = eval(o.left(), scope);
                yield Py.truthy(left) ? left : eval(o.right(), scope);
            }
            case Expr.Binary b -> PyOps.binary(b.op(), eval(b.left(), scope), eval(b.right(), scope));
            case Expr.Concat c -> {
                StringBuilder sb = new StringBuilder();
                c.parts().forEach(p -> sb.append(PyFormat.str(eval(p, scope))));
                yield sb.toString();
            }
            case Expr.Compare c -> compare(c, scope);
            case Expr.CondExpr c -> Py.truthy(eval(c.test(), scope)) ? eval(c.then(), scope)
                    : c.otherwise() == null ? Undefined.plain() : eval(c.otherwise(), scope);
        };
    }

    private List<Object> evalAll(List<Expr> exprs, Scope scope) {
        List<Object> out = new ArrayList<>();
        exprs.forEach(x -> out.add(eval(x, scope)));
        return out;
    }

    private Object key(Expr key, Scope scope) {
        if (key instanceof Expr.Slice s) {
            return new Attributes.Slicing(slicePart(s.start(), scope), slicePart(s.stop(), scope),
                    slicePart(s.step(), scope));
        }
        return eval(key, scope);
    }

    private Long slicePart(Expr part, Scope scope) {
        Object v = part == null ? null : eval(part, scope);
        if (v == null) {
            return null;
        }
        if (!Py.isInteger(v)) {
            throw PyError.type("slice indices must be integers or None");
        }
        return Py.toLong(v);
    }

    /** Calls {@code callee(args)}; {@code caller} is the body of a {% call %} block, or null. */
    Object call(Object callee, Expr.Args argExprs, Scope scope, PyCallable caller) {
        List<Object> args = new ArrayList<>();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        bind(argExprs, scope, args, kwargs);
        if (caller != null) {
            kwargs.put("caller", caller);
        }
        return switch (callee) {
            case PyCallable f -> f.call(args, kwargs);
            case Undefined u -> throw u.error();
            case null, default -> throw PyError.type("'" + Py.typeName(callee) + "' object is not callable");
        };
    }

    private void bind(Expr.Args a, Scope scope, List<Object> args, Map<String, Object> kwargs) {
        a.positional().forEach(x -> args.add(eval(x, scope)));
        if (a.star() != null) {
            args.addAll(Py.iterate(eval(a.star(), scope)));
        }
        for (int i = 0; i < a.names().size(); i++) {
            kwargs.put(a.names().get(i), eval(a.keywords().get(i), scope));
        }
        if (a.doubleStar() != null && eval(a.doubleStar(), scope) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> kwargs.put(PyFormat.str(k), v));
        }
    }

    private boolean compare(Expr.Compare c, Scope scope) {
        Object left = eval(c.first(), scope);
        for (int i = 0; i < c.ops().size(); i++) {
            Object right = eval(c.rest().get(i), scope);
            String op = c.ops().get(i);
            boolean ok = switch (op) {
                case "==" -> Py.eq(left, right);
                case "!=" -> !Py.eq(left, right);
                case "<" -> Py.compare(left, right, op) < 0;
                case "<=" -> Py.compare(left, right, op) <= 0;
                case ">" -> Py.compare(left, right, op) > 0;
                case ">=" -> Py.compare(left, right, op) >= 0;
                case "in" -> Py.contains(right, left);
                default -> !Py.contains(right, left);
            };
            if (!ok) {
                return false;
            }
            left = right;
        }
        return true;
    }
}
