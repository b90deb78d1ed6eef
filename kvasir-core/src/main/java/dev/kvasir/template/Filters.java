package dev.kvasir.template;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Jinja2's builtin filters on scalars and strings; sequence filters live in {@link SequenceFilters}. */
final class Filters {
    private static final Pattern WORD_BEGINNING = Pattern.compile("[-\\s({\\[<]+");

    private Filters() {
    }

    static Object apply(String name, Object v, List<Object> positional, Map<String, Object> keywords) {
        Args a = new Args(name, positional, keywords);
        return switch (name) {
            case "length", "count" -> Py.len(v);
            case "string" -> PyFormat.str(v);
            case "safe" -> PyFormat.str(v);
            case "e", "escape", "forceescape" -> escape(PyFormat.str(v));
            case "trim" -> {
                Object chars = a.get(0, "chars", null);
                yield PyStrings.strip(PyFormat.str(v), chars == null ? null : Args.str(chars, name), true, true);
            }
            case "upper" -> PyFormat.str(v).toUpperCase(Locale.ROOT);
            case "lower" -> PyFormat.str(v).toLowerCase(Locale.ROOT);
            case "capitalize" -> PyStrings.capitalize(PyFormat.str(v));
            case "title" -> title(PyFormat.str(v));
            case "replace" -> {
                Object count = a.get(2, "count", null);
                yield PyStrings.replace(PyFormat.str(v), PyFormat.str(a.get(0, "old", Args.REQUIRED)),
                        PyFormat.str(a.get(1, "new", Args.REQUIRED)), count == null ? -1 : Args.integer(count, name));
            }
            case "default", "d" -> {
                boolean useIfFalsy = Py.truthy(a.get(1, "boolean", false));
                yield v instanceof Undefined || (useIfFalsy && !Py.truthy(v)) ? a.get(0, "default_value", "") : v;
            }
            case "tojson" -> tojson(v, a);
            case "int" -> toInt(v, a);
            case "float" -> toFloat(v, a.get(0, "default", 0.0));
            case "abs" -> abs(v);
            case "round" -> round(v, a);
            case "indent" -> indent(indentable(v), a);
            case "center" -> PyStrings.center(PyFormat.str(v), (int) Args.integer(a.get(0, "width", 80L), name));
            case "format" -> PrintfFormat.format(PyFormat.str(v), positional);
            case "wordcount" -> (long) PyStrings.split(PyFormat.str(v), null, -1).size();
            case "attr" -> Attributes.getattr(v, Args.str(a.get(0, "name", Args.REQUIRED), name));
            default -> SequenceFilters.apply(name, v, a, positional);
        };
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;")
                .replace("'", "&#39;");
    }

    /** Jinja2's do_title: capitalize each piece after a run of whitespace, '-', or an opening bracket. */
    private static String title(String s) {
        StringBuilder sb = new StringBuilder();
        Matcher m = WORD_BEGINNING.matcher(s);
        int from = 0;
        while (m.find()) {
            sb.append(capitalizeFirst(s.substring(from, m.start()))).append(m.group());
            from = m.end();
        }
        return sb.append(capitalizeFirst(s.substring(from))).toString();
    }

    private static String capitalizeFirst(String word) {
        if (word.isEmpty()) {
            return word;
        }
        int n = Character.charCount(word.codePointAt(0));
        return word.substring(0, n).toUpperCase(Locale.ROOT) + word.substring(n).toLowerCase(Locale.ROOT);
    }

    /** transformers' tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False). */
    private static String tojson(Object v, Args a) {
        boolean ensureAscii = Py.truthy(a.get(0, "ensure_ascii", false));
        Object indent = a.get(1, "indent", null);
        Object separators = a.get(2, "separators", null);
        boolean sortKeys = Py.truthy(a.get(3, "sort_keys", false));
        String itemSep = null;
        String keySep = null;
        if (separators != null) {
            List<Object> pair = Py.iterate(separators);
            if (pair.size() != 2) {
                throw PyError.value("separators must be a pair (item_separator, key_separator)");
            }
            itemSep = Args.str(pair.get(0), "tojson");
            keySep = Args.str(pair.get(1), "tojson");
        }
        Integer spaces = indent == null ? null : (int) Args.integer(indent, "tojson");
        return ToJson.dumps(v, ensureAscii, spaces, itemSep, keySep, sortKeys);
    }

    private static Object toInt(Object v, Args a) {
        if (v instanceof Undefined u) {
            throw u.error(); // int(Undefined) raises: Undefined.__int__ fails, and do_int catches only TypeError/ValueError
        }
        Object fallback = a.get(0, "default", 0L);
        long base = Args.integer(a.get(1, "base", 10L), "int");
        return switch (v) {
            case Double d -> Double.isFinite(d) ? (Object) (long) (double) d : fallback;
            case String s -> {
                String t = s.strip().replace("_", "");
                try {
                    yield Long.parseLong(t.startsWith("+") ? t.substring(1) : t, (int) base);
                } catch (NumberFormatException e) {
                    try {
                        yield (long) Double.parseDouble(t);
                    } catch (NumberFormatException e2) {
                        yield fallback;
                    }
                }
            }
            case null, default -> Py.isInteger(v) ? (Object) Py.toLong(v) : fallback;
        };
    }

    private static Object toFloat(Object v, Object fallback) {
        if (v instanceof Undefined u) {
            throw u.error(); // as toInt: Undefined.__float__ fails
        }
        if (Py.isNumber(v)) {
            return Py.toDouble(v);
        }
        if (v instanceof String s) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (t.matches("[+-]?(inf|infinity|nan)")) {
                return t.contains("nan") ? Double.NaN : t.startsWith("-") ? Double.NEGATIVE_INFINITY
                        : Double.POSITIVE_INFINITY;
            }
            try {
                return Double.parseDouble(t.replace("_", ""));
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    private static Object abs(Object v) {
        return switch (v) {
            case Double d -> Math.abs(d);
            case null, default -> {
                if (Py.isInteger(v)) {
                    yield Math.abs(Py.toLong(v));
                }
                throw PyError.type("bad operand type for abs(): '" + Py.typeName(v) + "'");
            }
        };
    }

    /** do_round: 'common' is Python's round() (half-even on the exact binary value); always a float. */
    private static Object round(Object v, Args a) {
        int precision = (int) Args.integer(a.get(0, "precision", 0L), "round");
        String method = Args.str(a.get(1, "method", "common"), "round");
        if (!Py.isNumber(v)) {
            throw PyError.type("type " + Py.typeName(v) + " doesn't define __round__ method");
        }
        if (Py.isInteger(v) && method.equals("common") && precision >= 0) {
            return Py.toLong(v); // Python's round(int, n) stays an int
        }
        double d = Py.toDouble(v);
        if (!Double.isFinite(d)) {
            return d;
        }
        RoundingMode mode = switch (method) {
            case "common" -> RoundingMode.HALF_EVEN;
            case "ceil" -> RoundingMode.CEILING;
            case "floor" -> RoundingMode.FLOOR;
            default -> throw new PyError("FilterArgumentError", "method must be common, ceil or floor");
        };
        return new BigDecimal(d).setScale(precision, mode).doubleValue();
    }

    /** do_indent starts with {@code s += "\n"} on the value itself: only a string survives that. */
    private static String indentable(Object v) {
        return switch (v) {
            case String s -> s;
            case Undefined u -> throw u.error();
            case List<?> l -> throw new PyError("AttributeError", "'list' object has no attribute 'splitlines'");
            case PyTuple t -> throw PyError.type("can only concatenate tuple (not \"str\") to tuple");
            case null, default -> throw PyError.type("unsupported operand type(s) for +=: '" + Py.typeName(v) + "' and 'str'");
        };
    }

    private static String indent(String s, Args a) {
        Object width = a.get(0, "width", 4L);
        String indention = width instanceof String w ? w : " ".repeat((int) Args.integer(width, "indent"));
        boolean first = Py.truthy(a.get(1, "first", false));
        boolean blank = Py.truthy(a.get(2, "blank", false));
        List<String> lines = new ArrayList<>(splitLines(s + "\n"));
        String rv;
        if (blank) {
            rv = String.join("\n" + indention, lines);
        } else {
            StringBuilder sb = new StringBuilder(lines.removeFirst());
            for (String line : lines) {
                sb.append('\n').append(line.isEmpty() ? "" : indention + line);
            }
            rv = sb.toString();
        }
        return first ? indention + rv : rv;
    }

    /** Python's str.splitlines() for \n-only text (the template source is newline-normalized). */
    private static List<String> splitLines(String s) {
        List<String> lines = new ArrayList<>(List.of(s.split("\r\n|[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }
}
