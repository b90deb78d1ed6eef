package dev.kvasir.json;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Serializes values for {@link Json#write(Object, JsonStyle)}. */
final class JsonWriter {
    private final StringBuilder out;
    private final JsonStyle style;

    JsonWriter(StringBuilder out, JsonStyle style) {
        this.out = out;
        this.style = style;
    }

    void value(Object v, int level) {
        switch (v) {
            case null -> out.append("null");
            case Boolean b -> out.append(b);
            case CharSequence s -> string(s);
            case Float f -> out.append(pythonFloat(f.doubleValue()));
            case Double d -> out.append(pythonFloat(d));
            case BigDecimal d -> out.append(d.toString());
            case Number n -> out.append(n.toString());
            case Map<?, ?> m -> object(m, level);
            case Collection<?> c -> array(new ArrayList<>(c), level);
            default -> {
                if (!v.getClass().isArray()) {
                    throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < Array.getLength(v); i++) {
                    items.add(Array.get(v, i));
                }
                array(items, level);
            }
        }
    }

    private void object(Map<?, ?> map, int level) {
        List<String> keys = new ArrayList<>();
        for (Object k : map.keySet()) {
            if (!(k instanceof String s)) {
                throw new IllegalArgumentException("JSON object keys must be strings, got " + k);
            }
            keys.add(s);
        }
        if (style.sortKeys()) {
            keys.sort(null);
        }
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
            item(i, level);
            string(keys.get(i));
            out.append(style.keySeparator());
            value(map.get(keys.get(i)), level + 1);
        }
        close('}', keys.isEmpty(), level);
    }

    private void array(List<?> items, int level) {
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            item(i, level);
            value(items.get(i), level + 1);
        }
        close(']', items.isEmpty(), level);
    }

    private void item(int index, int level) {
        if (index > 0) {
            out.append(style.itemSeparator());
        }
        newline(level + 1);
    }

    private void close(char bracket, boolean empty, int level) {
        if (!empty) {
            newline(level);
        }
        out.append(bracket);
    }

    private void newline(int level) {
        if (style.indent() >= 0) {
            out.append('\n').append(" ".repeat(style.indent() * level));
        }
    }

    private void string(CharSequence s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (style.asciiOnly() && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that round-trip (which Java's Double.toString also gives),
     * positional for decimal exponents -4..15 ("0.0001", "1e+16" beyond), NaN and Infinity as json.dumps writes them.
     */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = shortest(d);
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = exact.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /**
     * The shortest decimal that reads back as {@code d}. Double.toString is shortest except that it never writes
     * fewer than two digits (4.9E-324 where 5e-324 also round-trips), so one digit is tried as well.
     */
    private static BigDecimal shortest(double d) {
        BigDecimal fromJava = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        BigDecimal oneDigit = fromJava.round(new MathContext(1, RoundingMode.HALF_EVEN));
        return oneDigit.doubleValue() == d ? oneDigit.stripTrailingZeros() : fromJava;
    }
}
