package dev.kvasir.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@code {% macro %}} (or a call block's caller) bound to the scope it was defined in. */
record Macro(String name, List<String> params, List<Expr> defaults, List<Stmt> body, Scope closure,
        Renderer renderer) implements PyCallable {

    @Override
    public Object call(List<Object> args, Map<String, Object> kwargs) {
        Scope scope = new Scope(closure);
        Map<String, Object> extra = new LinkedHashMap<>(kwargs);
        int firstDefault = params.size() - defaults.size();
        for (int i = 0; i < params.size(); i++) {
            String param = params.get(i);
            Object value;
            if (i < args.size()) {
                if (extra.containsKey(param)) {
                    throw PyError.type("macro '" + name + "' got multiple values for argument '" + param + "'");
                }
                value = args.get(i);
            } else if (extra.containsKey(param)) {
                value = extra.remove(param);
            } else if (i >= firstDefault) {
                value = renderer.evaluator().eval(defaults.get(i - firstDefault), scope);
            } else {
                value = new Undefined("UndefinedError", "parameter '" + param + "' was not provided");
            }
            scope.set(param, value);
        }
        scope.set("varargs", new PyTuple(new java.util.ArrayList<>(args.subList(Math.min(args.size(), params.size()), args.size()))));
        Object caller = extra.remove("caller");
        if (caller != null) {
            scope.set("caller", caller);
        }
        scope.set("kwargs", extra);
        StringBuilder out = new StringBuilder();
        renderer.render(body, scope, out);
        return out.toString();
    }
}
