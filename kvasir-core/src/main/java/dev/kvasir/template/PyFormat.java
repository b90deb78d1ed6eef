package dev.kvasir.template;

import java.math.BigDecimal;
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
            case Undefined u -> "";
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

    /** CPython's float repr: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        // Java's Double.toString yields the shortest round-trip digits (JDK 19+); only the layout differs.
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int decpt = digits.length() - exact.scale(); // value = 0.DIGITS * 10^decpt
        String sign = d < 0 ? "-" : "";
        if (decpt > 16 || decpt < -3) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int exp = decpt - 1;
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        if (decpt <= 0) {
            return sign + "0." + "0".repeat(-decpt) + digits;
        }
        if (decpt >= digits.length()) {
            return sign + digits + "0".repeat(decpt - digits.length()) + ".0";
        }
        return sign + digits.substring(0, decpt) + "." + digits.substring(decpt);
    }
}
