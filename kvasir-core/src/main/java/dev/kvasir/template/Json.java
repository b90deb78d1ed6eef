package dev.kvasir.template;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Python's {@code json.dumps}, which transformers uses as the {@code tojson} filter. */
final class Json {
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;
    private final boolean ensureAscii;

    /** indent: null for single-line output; separators default like Python's (', '/': ' or ','/': '). */
    Json(String indent, String itemSeparator, String keySeparator, boolean sortKeys, boolean ensureAscii) {
        this.indent = indent;
        this.itemSeparator = itemSeparator != null ? itemSeparator : indent == null ? ", " : ",";
        this.keySeparator = keySeparator != null ? keySeparator : ": ";
        this.sortKeys = sortKeys;
        this.ensureAscii = ensureAscii;
    }

    String dumps(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private void write(StringBuilder sb, Object value, int level) {
        switch (value) {
            case null -> sb.append("null");
            case Boolean b -> sb.append(b ? "true" : "false");
            case Long l -> sb.append(l);
            case Double d -> sb.append(floatJson(d));
            case String s -> string(sb, s);
            case PyTuple t -> array(sb, t.items(), level);
            case Collection<?> c -> array(sb, c, level);
            case Map<?, ?> m -> object(sb, m, level);
            default -> throw PyError.type("Object of type " + Py.typeName(value) + " is not JSON serializable");
        }
    }

    private static String floatJson(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return PyFormat.floatRepr(d);
    }

    private void array(StringBuilder sb, Collection<?> items, int level) {
        if (items.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        boolean first = true;
        for (Object item : items) {
            separate(sb, first, level + 1);
            first = false;
            write(sb, item, level + 1);
        }
        newline(sb, level);
        sb.append(']');
    }

    private void object(StringBuilder sb, Map<?, ?> map, int level) {
        if (map.isEmpty()) {
            sb.append("{}");
            return;
        }
        List<Map.Entry<String, Object>> entries = new ArrayList<>();
        map.forEach((k, v) -> entries.add(Map.entry(key(k), v == null ? NULL : v)));
        if (sortKeys) {
            entries.sort(Map.Entry.comparingByKey());
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : entries) {
            separate(sb, first, level + 1);
            first = false;
            string(sb, e.getKey());
            sb.append(keySeparator);
            write(sb, e.getValue() == NULL ? null : e.getValue(), level + 1);
        }
        newline(sb, level);
        sb.append('}');
    }

    private static final Object NULL = new Object(); // Map.entry rejects null values

    private static String key(Object k) {
        return switch (k) {
            case String s -> s;
            case null -> "null";
            case Boolean b -> b ? "true" : "false";
            case Long l -> l.toString();
            case Double d -> floatJson(d);
            default -> throw PyError.type("keys must be str, int, float, bool or None, not " + Py.typeName(k));
        };
    }

    private void separate(StringBuilder sb, boolean first, int level) {
        if (!first) {
            sb.append(itemSeparator);
        }
        newline(sb, level);
    }

    private void newline(StringBuilder sb, int level) {
        if (indent != null) {
            sb.append('\n').append(indent.repeat(level));
        }
    }

    private void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
