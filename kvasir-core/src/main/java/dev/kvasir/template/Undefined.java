package dev.kvasir.template;

/**
 * Jinja2's default {@code Undefined}: prints as nothing, is falsy, iterates as empty, but any other use
 * (arithmetic, attribute access, calling) raises {@link #error()}. The sandbox's "unsafe" attributes
 * (list.append, dict.update, ...) are undefined values that raise a SecurityError instead.
 */
record Undefined(String errorType, String message) {
    static Undefined name(String name) {
        return new Undefined("UndefinedError", "'" + name + "' is undefined");
    }

    static Undefined attribute(Object owner, String attribute) {
        return new Undefined("UndefinedError", "'" + Py.objectTypeRepr(owner) + "' has no attribute '" + attribute + "'");
    }

    static Undefined element(Object owner, Object key) {
        if (key instanceof String name) {
            return attribute(owner, name);
        }
        return new Undefined("UndefinedError", Py.objectTypeRepr(owner) + " has no element " + PyFormat.repr(key));
    }

    static Undefined unsafe(Object owner, String attribute) {
        return new Undefined("SecurityError", "access to attribute '" + attribute + "' of '" + Py.typeName(owner)
                + "' object is unsafe.");
    }

    static Undefined plain() {
        return new Undefined("UndefinedError", "value is undefined");
    }

    PyError error() {
        return new PyError(errorType, message);
    }
}
