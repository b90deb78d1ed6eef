package dev.kvasir.template;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Python value semantics for template values: truthiness, len, iteration, equality, ordering, membership. */
final class Py {
    private Py() {
    }

    static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0;
            case String s -> !s.isEmpty();
            case Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case PyTuple t -> !t.items().isEmpty();
            case Undefined u -> false;
            default -> true;
        };
    }

    static String typeName(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case String s -> "str";
            case PyTuple t -> "tuple";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Undefined u -> "Undefined";
            case Namespace n -> "Namespace";
            case PyIterator it -> it.typeName();
            case LoopContext l -> "LoopContext";
            default -> "function";
        };
    }

    /** Jinja2's object_type_repr, used in undefined-attribute messages ("'dict object' has no attribute 'x'"). */
    static String objectTypeRepr(Object v) {
        return v == null ? "None" : typeName(v) + " object";
    }

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    static boolean isInteger(Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    static long toLong(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).longValue();
    }

    static double toDouble(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
    }

    /**
     * The items a for-loop sees: list/tuple items, dict keys, string characters, the rest of an
     * iterator (consuming it); Undefined is empty.
     */
    static List<Object> iterate(Object v) {
        return switch (v) {
            case PyIterator it -> it.drain();
            case List<?> l -> Collections.unmodifiableList(l);
            case PyTuple t -> t.items();
            case Map<?, ?> m -> new ArrayList<>(m.keySet());
            case String s -> PyStrings.chars(s);
            case Undefined u -> List.of();
            case null, default -> throw PyError.type("'" + typeName(v) + "' object is not iterable");
        };
    }

    /** Python's iter(v): an iterator stays itself (so taking from it consumes it), anything else is iterated anew. */
    @SuppressWarnings("unchecked")
    static Iterator<Object> iter(Object v) {
        return v instanceof PyIterator it ? it : ((List<Object>) (List<?>) iterate(v)).iterator();
    }

    static long len(Object v) {
        return switch (v) {
            case String s -> PyStrings.length(s);
            case Collection<?> c -> c.size();
            case Map<?, ?> m -> m.size();
            case PyTuple t -> t.items().size();
            case Undefined u -> 0;
            case null, default -> throw PyError.type("object of type '" + typeName(v) + "' has no len()");
        };
    }

    static boolean eq(Object a, Object b) {
        if (a instanceof Undefined || b instanceof Undefined) {
            return a instanceof Undefined && b instanceof Undefined;
        }
        if (isNumber(a) && isNumber(b)) {
            return isInteger(a) && isInteger(b) ? toLong(a) == toLong(b) : toDouble(a) == toDouble(b);
        }
        if (a instanceof PyTuple(List<Object> x) && b instanceof PyTuple(List<Object> y)) {
            return listEq(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            return listEq(x, y);
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !eq(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }

    private static boolean listEq(List<?> x, List<?> y) {
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!eq(x.get(i), y.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Ordering for < <= > >= (numbers, strings, lists); anything else is a TypeError like CPython's. */
    static int compare(Object a, Object b, String op) {
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        if (isNumber(a) && isNumber(b)) {
            return isInteger(a) && isInteger(b) ? Long.compare(toLong(a), toLong(b))
                    : Double.compare(toDouble(a), toDouble(b));
        }
        if (a instanceof String x && b instanceof String y) {
            return Integer.signum(compareCodePoints(x, y));
        }
        List<?> x = a instanceof PyTuple t ? t.items() : a instanceof List<?> l && !(b instanceof PyTuple) ? l : null;
        List<?> y = b instanceof PyTuple t ? t.items() : b instanceof List<?> l && !(a instanceof PyTuple) ? l : null;
        if (x != null && y != null) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!eq(x.get(i), y.get(i))) {
                    return compare(x.get(i), y.get(i), op);
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        throw PyError.type("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    private static int compareCodePoints(String x, String y) {
        Iterator<Integer> i = x.codePoints().iterator();
        Iterator<Integer> j = y.codePoints().iterator();
        while (i.hasNext() && j.hasNext()) {
            int c = Integer.compare(i.next(), j.next());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(i.hasNext(), j.hasNext());
    }

    /** Python's {@code item in container}. */
    static boolean contains(Object container, Object item) {
        return switch (container) {
            case String s -> {
                if (!(item instanceof String sub)) {
                    throw PyError.type("'in <string>' requires string as left operand, not " + typeName(item));
                }
                yield s.contains(sub);
            }
            case Map<?, ?> m -> m.keySet().stream().anyMatch(k -> eq(k, item));
            case Undefined u -> false;
            case List<?> l -> l.stream().anyMatch(x -> eq(x, item));
            case PyTuple t -> t.items().stream().anyMatch(x -> eq(x, item));
            case PyIterator it -> { // consumes up to the first match, as Python's `in` does
                while (it.hasNext()) {
                    if (eq(it.next(), item)) {
                        yield true;
                    }
                }
                yield false;
            }
            case null, default -> throw PyError.type("argument of type '" + typeName(container) + "' is not iterable");
        };
    }

    /** Converts caller-supplied Java values (Integer, Float, arrays, any Map/List) into template values. */
    static Object fromJava(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Double d -> d;
            case Float f -> (double) f;
            case Long l -> l;
            case Number n -> n.longValue();
            case Character c -> c.toString();
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put(fromJava(k), fromJava(x)));
                yield Collections.unmodifiableMap(out);
            }
            case Collection<?> c -> {
                List<Object> out = new ArrayList<>();
                c.forEach(x -> out.add(fromJava(x)));
                yield Collections.unmodifiableList(out);
            }
            case Object[] a -> fromJava(java.util.Arrays.asList(a));
            default -> v;
        };
    }
}
