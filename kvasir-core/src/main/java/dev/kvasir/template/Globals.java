package dev.kvasir.template;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Global functions of transformers' chat-template environment. */
final class Globals {
    /** The sandbox's MAX_RANGE: larger ranges are refused. */
    private static final long MAX_RANGE = 100_000;

    private Globals() {
    }

    static void install(Scope scope, Clock clock) {
        scope.set("range", (PyCallable) Globals::range);
        scope.set("namespace", (PyCallable) Globals::namespace);
        scope.set("dict", (PyCallable) (args, kwargs) -> new LinkedHashMap<Object, Object>(kwargs));
        scope.set("raise_exception", (PyCallable) (args, kwargs) -> {
            throw new PyError("TemplateError", PyFormat.str(new Args("raise_exception", args, kwargs)
                    .get(0, "message", "")));
        });
        scope.set("strftime_now", (PyCallable) (args, kwargs) -> Strftime.format(LocalDateTime.now(clock),
                Args.str(new Args("strftime_now", args, kwargs).get(0, "format", Args.REQUIRED), "strftime_now")));
    }

    private static Object range(List<Object> args, Map<String, Object> kwargs) {
        if (args.isEmpty() || args.size() > 3) {
            throw PyError.type("range expected 1 to 3 arguments, got " + args.size());
        }
        long start = args.size() == 1 ? 0 : Args.integer(args.get(0), "range");
        long stop = Args.integer(args.get(args.size() == 1 ? 0 : 1), "range");
        long step = args.size() == 3 ? Args.integer(args.get(2), "range") : 1;
        if (step == 0) {
            throw PyError.value("range() arg 3 must not be zero");
        }
        long count = step > 0 ? Math.max(0, (stop - start + step - 1) / step) : Math.max(0, (start - stop - step - 1) / -step);
        if (count > MAX_RANGE) {
            throw new PyError("OverflowError", "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
        }
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            out.add(start + i * step);
        }
        return out;
    }

    private static Object namespace(List<Object> args, Map<String, Object> kwargs) {
        Namespace ns = new Namespace();
        for (Object arg : args) {
            if (!(arg instanceof Map<?, ?> m)) {
                throw PyError.type("namespace() positional arguments must be mappings");
            }
            m.forEach((k, v) -> ns.attributes.put(PyFormat.str(k), v));
        }
        ns.attributes.putAll(kwargs);
        return ns;
    }
}
