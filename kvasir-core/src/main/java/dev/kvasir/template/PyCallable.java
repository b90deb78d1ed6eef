package dev.kvasir.template;

import java.util.List;
import java.util.Map;

/** Anything a template can call: globals, bound methods, macros, caller(). */
@FunctionalInterface
interface PyCallable {
    Object call(List<Object> args, Map<String, Object> kwargs);
}
