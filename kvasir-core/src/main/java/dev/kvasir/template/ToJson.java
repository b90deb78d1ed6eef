package dev.kvasir.template;

import dev.kvasir.json.Json;
import dev.kvasir.json.JsonStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * transformers' {@code tojson} filter, {@code json.dumps(x, ensure_ascii, indent, separators, sort_keys)}:
 * template values become plain JSON values (tuples as arrays, non-string keys converted as json.dumps
 * does) and {@link Json} writes them in Python's style.
 */
final class ToJson {
    private ToJson() {
    }

    /** indent: null for one line; separators null for Python's defaults (", " or "," with indent, and ": "). */
    static String dumps(Object value, boolean ensureAscii, Integer indent, String itemSeparator, String keySeparator,
            boolean sortKeys) {
        JsonStyle style = new JsonStyle(itemSeparator != null ? itemSeparator : indent != null ? "," : ", ",
                keySeparator != null ? keySeparator : ": ", indent == null ? -1 : Math.max(0, indent), ensureAscii,
                sortKeys);
        return Json.write(plain(value), style);
    }

    private static Object plain(Object v) {
        return switch (v) {
            case null -> null;
            case Boolean b -> b;
            case Long l -> l;
            case Double d -> d;
            case String s -> s;
            case PyTuple t -> plainAll(t.items());
            case Collection<?> c -> plainAll(c);
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put(key(k), plain(x)));
                yield out;
            }
            default -> throw PyError.type("Object of type " + Py.typeName(v) + " is not JSON serializable");
        };
    }

    private static List<Object> plainAll(Collection<?> items) {
        List<Object> out = new ArrayList<>();
        items.forEach(x -> out.add(plain(x)));
        return out;
    }

    private static String key(Object k) {
        return switch (k) {
            case String s -> s;
            case null -> "null";
            case Boolean b -> b ? "true" : "false";
            case Long l -> l.toString();
            case Double d -> Json.pythonFloat(d);
            default -> throw PyError.type("keys must be str, int, float, bool or None, not " + Py.typeName(k));
        };
    }
}
