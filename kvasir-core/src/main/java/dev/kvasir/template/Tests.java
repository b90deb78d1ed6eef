package dev.kvasir.template;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Jinja2's builtin tests ({@code x is defined}, {@code x is equalto y}, ...). */
final class Tests {
    private Tests() {
    }

    static boolean apply(String name, Object v, List<Object> args) {
        return switch (name) {
            case "defined" -> !(v instanceof Undefined);
            case "undefined" -> v instanceof Undefined;
            case "none" -> v == null;
            case "boolean" -> v instanceof Boolean;
            case "true" -> Boolean.TRUE.equals(v);
            case "false" -> Boolean.FALSE.equals(v);
            case "integer" -> v instanceof Long;
            case "float" -> v instanceof Double;
            case "number" -> Py.isNumber(v);
            case "string" -> v instanceof String;
            case "mapping" -> v instanceof Map;
            case "iterable" -> v instanceof String || v instanceof List || v instanceof PyTuple || v instanceof Map
                    || v instanceof Undefined || v instanceof PyIterator;
            case "sequence" -> v instanceof String || v instanceof List || v instanceof PyTuple || v instanceof Map
                    || v instanceof Undefined;
            case "callable" -> v instanceof PyCallable;
            case "odd" -> Math.floorMod(Args.integer(v, "odd"), 2) == 1;
            case "even" -> Math.floorMod(Args.integer(v, "even"), 2) == 0;
            case "divisibleby" -> Args.integer(v, name) % Args.integer(arg(args, 0, name), name) == 0;
            case "eq", "equalto", "==" -> Py.eq(v, arg(args, 0, name));
            case "ne", "!=" -> !Py.eq(v, arg(args, 0, name));
            case "lt", "lessthan", "<" -> Py.compare(v, arg(args, 0, name), "<") < 0;
            case "le", "<=" -> Py.compare(v, arg(args, 0, name), "<=") <= 0;
            case "gt", "greaterthan", ">" -> Py.compare(v, arg(args, 0, name), ">") > 0;
            case "ge", ">=" -> Py.compare(v, arg(args, 0, name), ">=") >= 0;
            case "in" -> Py.contains(arg(args, 0, name), v);
            case "sameas" -> sameAs(v, arg(args, 0, name));
            case "lower" -> v instanceof String s && s.equals(s.toLowerCase(Locale.ROOT));
            case "upper" -> v instanceof String s && s.equals(s.toUpperCase(Locale.ROOT));
            case "escaped" -> false;
            default -> throw new PyError("TemplateRuntimeError", "no test named '" + name + "'");
        };
    }

    /** Python's {@code is}: identity, which for None/True/False/small values is value equality. */
    private static boolean sameAs(Object a, Object b) {
        if (a == null || b == null || a instanceof Boolean || b instanceof Boolean) {
            return a == b || (a != null && a.equals(b));
        }
        return a == b;
    }

    private static Object arg(List<Object> args, int i, String test) {
        if (i >= args.size()) {
            throw PyError.type("test '" + test + "' needs an argument");
        }
        return args.get(i);
    }
}
