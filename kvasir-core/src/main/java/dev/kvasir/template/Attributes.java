package dev.kvasir.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Jinja2 sandbox lookups: {@code obj.name} (getattr, then item) and {@code obj[key]} (item, then getattr). */
final class Attributes {
    private Attributes() {
    }

    static Object getattr(Object obj, String name) {
        if (obj instanceof Undefined u) {
            throw u.error();
        }
        Object method = Methods.lookup(obj, name);
        if (method != null) {
            return method;
        }
        return switch (obj) {
            case Map<?, ?> m when m.containsKey(name) -> m.get(name);
            case Namespace ns when ns.attributes.containsKey(name) -> ns.attributes.get(name);
            case LoopContext loop -> loop.attribute(name);
            case null, default -> Undefined.attribute(obj, name);
        };
    }

    static Object getitem(Object obj, Object key) {
        if (obj instanceof Undefined u) {
            throw u.error();
        }
        if (key instanceof Slicing slice) {
            return slice(obj, slice);
        }
        switch (obj) {
            case Map<?, ?> m -> {
                Object k = Py.isInteger(key) ? (Object) Py.toLong(key) : key;
                if (m.containsKey(k)) {
                    return m.get(k);
                }
            }
            case PyTuple t -> {
                return index(t.items(), obj, key);
            }
            case List<?> l -> {
                return index(l, obj, key);
            }
            case String s -> {
                if (Py.isInteger(key)) {
                    List<Object> chars = PyStrings.chars(s);
                    return index(chars, obj, key);
                }
            }
            case null, default -> {
            }
        }
        return key instanceof String name ? getattr(obj, name) : Undefined.element(obj, key);
    }

    private static Object index(List<?> items, Object owner, Object key) {
        if (!Py.isInteger(key)) {
            return key instanceof String name ? getattr(owner, name) : Undefined.element(owner, key);
        }
        long i = Py.toLong(key);
        long at = i < 0 ? i + items.size() : i;
        return at >= 0 && at < items.size() ? items.get((int) at) : Undefined.element(owner, key);
    }

    /** A evaluated slice {@code [start:stop:step]} (null parts omitted). */
    record Slicing(Long start, Long stop, Long step) {
    }

    private static Object slice(Object obj, Slicing slice) {
        return switch (obj) {
            case String s -> PyStrings.fromChars(slice(PyStrings.chars(s), slice));
            case PyTuple t -> new PyTuple(slice(t.items(), slice));
            case List<?> l -> slice(l, slice);
            default -> throw PyError.type("'" + Py.typeName(obj) + "' object is not subscriptable");
        };
    }

    /** Python's slice.indices() semantics, including negative steps ({@code [::-1]}). */
    static List<Object> slice(List<?> items, Slicing slice) {
        int n = items.size();
        long step = slice.step() == null ? 1 : slice.step();
        if (step == 0) {
            throw PyError.value("slice step cannot be zero");
        }
        long start;
        long stop;
        if (step > 0) {
            start = clamp(slice.start(), n, 0, 0, n);
            stop = clamp(slice.stop(), n, n, 0, n);
        } else {
            start = clamp(slice.start(), n, n - 1, -1, n - 1);
            stop = clamp(slice.stop(), n, -1, -1, n - 1);
        }
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            out.add(items.get((int) i));
        }
        return out;
    }

    private static long clamp(Long value, int n, long missing, long low, long high) {
        if (value == null) {
            return missing;
        }
        long v = value < 0 ? value + n : value;
        return Math.max(low, Math.min(high, v));
    }
}
