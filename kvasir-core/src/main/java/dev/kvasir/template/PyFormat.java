package dev.kvasir.template;

import dev.kvasir.json.Json;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Python's {@code str()} and {@code repr()} of template values, so output matches CPython byte for byte. */
final class PyFormat {
    private PyFormat() {
    }

    /** {@code str(value)} as Jinja prints it: Undefined prints as nothing. */
    static String str(Object value) {
        return switch (value) {
            case null -> "None";
            case String s -> s;
            case Undefined u -> "";
            default -> repr(value);
        };
    }

    static String repr(Object value) {
        return switch (value) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Long l -> l.toString();
            case Double d -> floatRepr(d);
            case String s -> stringRepr(s);
            case PyTuple t -> t.items().size() == 1 ? "(" + repr(t.items().getFirst()) + ",)" : join("(", t.items(), ")");
            case List<?> l -> join("[", l, "]");
            case Map<?, ?> m -> mapRepr(m);
            case Undefined u -> "Undefined"; // repr(Undefined), as a list prints it; str() is ""
            case PyIterator it -> it.repr();
            default -> value.toString();
        };
    }

    private static String join(String open, Collection<?> items, String close) {
        StringBuilder sb = new StringBuilder(open);
        Iterator<?> it = items.iterator();
        while (it.hasNext()) {
            sb.append(repr(it.next()));
            if (it.hasNext()) {
                sb.append(", ");
            }
        }
        return sb.append(close).toString();
    }

    private static String mapRepr(Map<?, ?> map) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
        }
        return sb.append('}').toString();
    }

    /** CPython's string repr: single quotes unless the text has ' and no ". */
    static String stringRepr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(quote);
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (cp == quote) {
                        sb.append('\\').append((char) cp);
                    } else if (cp < 0x20 || cp == 0x7f) {
                        sb.append(String.format("\\x%02x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.append(quote).toString();
    }

    /** CPython's float repr (json.dumps' digits, but Python's own spelling of nan and inf). */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return Json.pythonFloat(d);
    }
}
