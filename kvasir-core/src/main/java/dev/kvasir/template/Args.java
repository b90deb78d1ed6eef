package dev.kvasir.template;

import java.util.List;
import java.util.Map;

/** Python-style argument binding for builtins: positional index or keyword name, with defaults. */
final class Args {
    static final Object REQUIRED = new Object();

    private final String function;
    private final List<Object> positional;
    private final Map<String, Object> keywords;

    Args(String function, List<Object> positional, Map<String, Object> keywords) {
        this.function = function;
        this.positional = positional;
        this.keywords = keywords;
    }

    Object get(int index, String name, Object defaultValue) {
        if (index >= 0 && index < positional.size()) {
            return positional.get(index);
        }
        if (keywords.containsKey(name)) {
            return keywords.get(name);
        }
        if (defaultValue == REQUIRED) {
            throw PyError.type(function + "() missing required argument '" + name + "'");
        }
        return defaultValue;
    }

    static String str(Object v, String function) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Undefined u) {
            throw u.error();
        }
        throw PyError.type(function + "(): expected str, got " + Py.typeName(v));
    }

    static long integer(Object v, String function) {
        if (Py.isInteger(v)) {
            return Py.toLong(v);
        }
        if (v instanceof Undefined u) {
            throw u.error();
        }
        throw PyError.type(function + "(): '" + Py.typeName(v) + "' object cannot be interpreted as an integer");
    }
}
