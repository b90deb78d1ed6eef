package dev.kvasir.template;

import java.util.List;
import java.util.Map;

/** The {@code loop} variable inside a for loop. */
final class LoopContext {
    private final List<Object> items;
    private int index0;
    private Object lastChanged = Scope.MISSING;

    LoopContext(List<Object> items) {
        this.items = items;
    }

    void advance(int index0) {
        this.index0 = index0;
    }

    Object attribute(String name) {
        int length = items.size();
        return switch (name) {
            case "index" -> (long) index0 + 1;
            case "index0" -> (long) index0;
            case "revindex" -> (long) (length - index0);
            case "revindex0" -> (long) (length - index0 - 1);
            case "first" -> index0 == 0;
            case "last" -> index0 == length - 1;
            case "length" -> (long) length;
            case "depth" -> 1L;
            case "depth0" -> 0L;
            case "previtem" -> index0 > 0 ? items.get(index0 - 1) : Undefined.name("previtem");
            case "nextitem" -> index0 + 1 < length ? items.get(index0 + 1) : Undefined.name("nextitem");
            case "cycle" -> (PyCallable) this::cycle;
            case "changed" -> (PyCallable) this::changed;
            default -> Undefined.attribute(this, name);
        };
    }

    private Object cycle(List<Object> args, Map<String, Object> kwargs) {
        if (args.isEmpty()) {
            throw PyError.type("no items for cycling given");
        }
        return args.get(index0 % args.size());
    }

    private Object changed(List<Object> args, Map<String, Object> kwargs) {
        Object value = args.size() == 1 ? args.getFirst() : new PyTuple(args);
        if (lastChanged != Scope.MISSING && Py.eq(lastChanged, value)) {
            return false;
        }
        lastChanged = value;
        return true;
    }
}
