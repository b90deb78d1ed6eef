package dev.kvasir.template;

import java.util.HashMap;
import java.util.Map;

/**
 * Variable frame. Jinja2 scoping: each for-loop iteration, macro call and with-block gets a child
 * frame; {@code set} writes to the innermost frame, so it does not leak out of loops.
 */
final class Scope {
    static final Object MISSING = new Object();

    private final Scope parent;
    private final Map<String, Object> vars = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Object v = s.vars.getOrDefault(name, MISSING);
            if (v != MISSING) {
                return v;
            }
        }
        return MISSING;
    }

    void set(String name, Object value) {
        vars.put(name, value);
    }
}
