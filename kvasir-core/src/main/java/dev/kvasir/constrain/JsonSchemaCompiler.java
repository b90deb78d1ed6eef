package dev.kvasir.constrain;

import dev.kvasir.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON schema to grammar, after llama.cpp's common/json-schema-to-grammar.cpp. The grammar generates a
 * subset of the documents the schema accepts (every output validates), in compact-ish JSON: a space or a
 * newline with up to 16 spaces between tokens, integers of at most 16 digits, fractions of at most 16.
 *
 * <p>Supported: {@code type} (one or a list of string, number, integer, boolean, null, object, array),
 * {@code enum}, {@code const}, {@code properties} with {@code required} (properties appear in schema order,
 * optional ones may be left out), {@code additionalProperties} (false when absent, as OpenAI's strict mode
 * requires; true or a schema allows more keys after the declared ones), {@code items}, {@code prefixItems},
 * {@code minItems}/{@code maxItems}, {@code anyOf}/{@code oneOf} (alternatives; a oneOf whose branches
 * overlap may yield a document matching several), {@code allOf} of one schema, {@code $ref} to
 * {@code #/$defs/..} or {@code #/definitions/..} (recursion allowed), {@code minLength}/{@code maxLength},
 * {@code pattern} (a regular-expression subset, see {@link Regex}), {@code format} date, time, date-time
 * and uuid, integer {@code minimum}/{@code maximum} when the range holds at most 4096 values or is
 * {@code minimum} 0 or 1 without a maximum, and number {@code minimum} 0. Annotations (title,
 * description, default, examples, ...) are ignored; any other keyword is a {@link SchemaException}.
 */
final class JsonSchemaCompiler {
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "examples", "$schema",
            "$id", "$comment", "deprecated", "readOnly", "writeOnly", "$defs", "definitions", "strict");
    private static final Set<String> KEYWORDS = Set.of("type", "enum", "const", "properties", "required",
            "additionalProperties", "items", "prefixItems", "minItems", "maxItems", "anyOf", "oneOf", "allOf", "$ref",
            "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum");
    private static final int MAX_ENUMERATED_INTEGERS = 4096;
    private static final Map<String, String> FORMATS = Map.of(
            "date", "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])",
            "time", "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,3})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])",
            "date-time", "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
                    + "(\\.[0-9]{1,3})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])",
            "uuid", "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final GrammarBuilder b;
    private final Object rootSchema;
    private final Map<String, Integer> refs = new HashMap<>();
    private final Map<String, int[]> shared = new HashMap<>();

    JsonSchemaCompiler(GrammarBuilder b, Object rootSchema) {
        this.b = b;
        this.rootSchema = rootSchema;
    }

    int[] root() {
        return schema(rootSchema, "");
    }

    private int[] schema(Object s, String path) {
        if (Boolean.TRUE.equals(s)) {
            return anyValue();
        }
        if (Boolean.FALSE.equals(s)) {
            throw error(path, "the schema false accepts no value");
        }
        if (!(s instanceof Map<?, ?> raw)) {
            throw error(path, "a schema must be an object or a boolean, got " + kind(s));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) raw;
        for (String k : m.keySet()) {
            if (!KEYWORDS.contains(k) && !ANNOTATIONS.contains(k)) {
                throw error(path, "the keyword '" + k + "' is not supported by constrained decoding");
            }
        }
        if (m.containsKey("$ref")) {
            if (m.keySet().stream().anyMatch(k -> KEYWORDS.contains(k) && !k.equals("$ref"))) {
                throw error(path, "'$ref' next to other keywords is not supported");
            }
            return ref(string(m.get("$ref"), path + "/$ref"), path);
        }
        if (m.containsKey("const")) {
            return b.lit(Json.write(m.get("const")));
        }
        if (m.containsKey("enum")) {
            List<?> values = list(m.get("enum"), path + "/enum");
            if (values.isEmpty()) {
                throw error(path + "/enum", "an empty enum accepts no value");
            }
            int[][] options = new int[values.size()][];
            for (int i = 0; i < options.length; i++) {
                options[i] = b.lit(Json.write(values.get(i)));
            }
            return b.alt(options);
        }
        for (String k : List.of("anyOf", "oneOf")) {
            if (m.containsKey(k)) {
                return alternatives(withoutKey(m, k), list(m.get(k), path + "/" + k), path + "/" + k);
            }
        }
        if (m.containsKey("allOf")) {
            List<?> all = list(m.get("allOf"), path + "/allOf");
            if (all.size() != 1) {
                throw error(path + "/allOf", "'allOf' with more than one schema is not supported");
            }
            return alternatives(withoutKey(m, "allOf"), all, path + "/allOf");
        }
        Object type = m.get("type");
        if (type instanceof List<?> types) {
            int[][] options = new int[types.size()][];
            for (int i = 0; i < options.length; i++) {
                options[i] = typed(string(types.get(i), path + "/type/" + i), m, path);
            }
            return b.alt(options);
        }
        if (type == null) {
            type = inferType(m);
            if (type == null) {
                return anyValue();
            }
        }
        return typed(string(type, path + "/type"), m, path);
    }

    /** anyOf / oneOf: each branch, with the keywords beside it (e.g. a shared type) merged in. */
    private int[] alternatives(Map<String, Object> rest, List<?> branches, String path) {
        if (branches.isEmpty()) {
            throw error(path, "an empty list of alternatives accepts no value");
        }
        boolean restMatters = rest.keySet().stream().anyMatch(KEYWORDS::contains);
        int[][] options = new int[branches.size()][];
        for (int i = 0; i < options.length; i++) {
            Object branch = branches.get(i);
            if (restMatters && branch instanceof Map<?, ?> bm) {
                Map<String, Object> merged = new LinkedHashMap<>(rest);
                bm.forEach((k, v) -> merged.put((String) k, v));
                branch = merged;
            }
            options[i] = schema(branch, path + "/" + i);
        }
        return b.alt(options);
    }

    private static Object inferType(Map<String, Object> m) {
        if (m.containsKey("properties") || m.containsKey("additionalProperties") || m.containsKey("required")) {
            return "object";
        }
        if (m.containsKey("items") || m.containsKey("prefixItems") || m.containsKey("minItems") || m.containsKey("maxItems")) {
            return "array";
        }
        if (m.containsKey("pattern") || m.containsKey("minLength") || m.containsKey("maxLength") || m.containsKey("format")) {
            return "string";
        }
        return null;
    }

    private int[] typed(String type, Map<String, Object> m, String path) {
        return switch (type) {
            case "string" -> string(m, path);
            case "integer" -> integer(m, path);
            case "number" -> number(m, path);
            case "boolean" -> b.alt(b.lit("true"), b.lit("false"));
            case "null" -> b.lit("null");
            case "object" -> object(m, path);
            case "array" -> array(m, path);
            default -> throw error(path + "/type", "unknown type '" + type + "'");
        };
    }

    private int[] ref(String ref, String path) {
        Integer rule = refs.get(ref);
        if (rule != null) {
            return GrammarBuilder.ref(rule);
        }
        if (!ref.startsWith("#/")) {
            throw error(path, "only local references ('#/$defs/NAME') are supported, got '" + ref + "'");
        }
        Object target = rootSchema;
        for (String part : ref.substring(2).split("/")) {
            String key = part.replace("~1", "/").replace("~0", "~");
            if (!(target instanceof Map<?, ?> tm) || !tm.containsKey(key)) {
                throw error(path, "the reference '" + ref + "' points to nothing");
            }
            target = tm.get(key);
        }
        int r = b.rule();
        refs.put(ref, r);
        b.define(r, schema(target, ref.substring(1)));
        return GrammarBuilder.ref(r);
    }

    // ---- strings

    private int[] string(Map<String, Object> m, String path) {
        int min = count(m, "minLength", 0, path);
        int max = count(m, "maxLength", -1, path);
        if (max >= 0 && max < min) {
            throw error(path, "maxLength " + max + " is below minLength " + min);
        }
        String pattern = m.containsKey("pattern") ? string(m.get("pattern"), path + "/pattern") : null;
        if (m.containsKey("format")) {
            String format = string(m.get("format"), path + "/format");
            String p = FORMATS.get(format);
            if (p == null) {
                throw error(path + "/format", "the format '" + format + "' is not supported (date, time, date-time, uuid are)");
            }
            if (pattern != null) {
                throw error(path, "'format' together with 'pattern' is not supported");
            }
            pattern = p;
        }
        if (pattern != null) {
            if (m.containsKey("minLength") || m.containsKey("maxLength")) {
                throw error(path, "'pattern' together with minLength/maxLength is not supported");
            }
            try {
                return GrammarBuilder.seq(b.lit("\""), new Regex(b, pattern).compile(), b.lit("\""));
            } catch (SchemaException e) {
                throw error(path + "/pattern", e.getMessage());
            }
        }
        if (min == 0 && max < 0) {
            return anyString();
        }
        return GrammarBuilder.seq(b.lit("\""), b.repeat(stringChar(), min, max), b.lit("\""));
    }

    /** One character of a JSON string's content: printable ASCII but '"' and '\\', an escape, or well-formed UTF-8. */
    int[] stringChar() {
        return shared("char", () -> {
            long[] ascii = Bytes.range(new long[4], 0x20, 0x7F);
            Bytes.remove(ascii, '"');
            Bytes.remove(ascii, '\\');
            return b.alt(b.cls(ascii), escape(), nonAscii());
        });
    }

    private int[] escape() {
        long[] simple = new long[4];
        for (char c : "\"\\/bfnrt".toCharArray()) {
            Bytes.range(simple, c, c);
        }
        long[] hex = new long[4];
        Bytes.range(hex, '0', '9');
        Bytes.range(hex, 'a', 'f');
        Bytes.range(hex, 'A', 'F');
        int[] h = b.cls(hex);
        return GrammarBuilder.seq(b.lit("\\"), b.alt(b.cls(simple), GrammarBuilder.seq(b.lit("u"), h, h, h, h)));
    }

    /** Any non-ASCII character as well-formed UTF-8 (2 to 4 bytes; surrogates and overlongs excluded). */
    int[] nonAscii() {
        return shared("utf8", () -> {
            int[] cont = b.range(0x80, 0xBF);
            return b.alt(
                    GrammarBuilder.seq(b.range(0xC2, 0xDF), cont),
                    GrammarBuilder.seq(b.range(0xE0, 0xE0), b.range(0xA0, 0xBF), cont),
                    GrammarBuilder.seq(b.range(0xE1, 0xEC), cont, cont),
                    GrammarBuilder.seq(b.range(0xED, 0xED), b.range(0x80, 0x9F), cont),
                    GrammarBuilder.seq(b.range(0xEE, 0xEF), cont, cont),
                    GrammarBuilder.seq(b.range(0xF0, 0xF0), b.range(0x90, 0xBF), cont, cont),
                    GrammarBuilder.seq(b.range(0xF1, 0xF3), cont, cont, cont),
                    GrammarBuilder.seq(b.range(0xF4, 0xF4), b.range(0x80, 0x8F), cont, cont));
        });
    }

    private int[] anyString() {
        return shared("string", () -> GrammarBuilder.seq(b.lit("\""), b.star(stringChar()), b.lit("\"")));
    }

    // ---- numbers

    private int[] digits(int min, int max) {
        return b.repeat(b.range('0', '9'), min, max);
    }

    /** A non-negative integer without leading zeros, at most 16 digits. */
    private int[] natural() {
        return shared("natural", () -> b.alt(b.lit("0"), GrammarBuilder.seq(b.range('1', '9'), digits(0, 15))));
    }

    private int[] integer(Map<String, Object> m, String path) {
        Long min = bound(m, "minimum", "exclusiveMinimum", 1, path);
        Long max = bound(m, "maximum", "exclusiveMaximum", -1, path);
        if (min == null && max == null) {
            return shared("integer", () -> GrammarBuilder.seq(b.opt(b.lit("-")), natural()));
        }
        if (min != null && max != null) {
            if (max < min) {
                throw error(path, "no integer lies between minimum " + min + " and maximum " + max);
            }
            if (max - min < MAX_ENUMERATED_INTEGERS) {
                int[][] options = new int[(int) (max - min + 1)][];
                for (long v = min; v <= max; v++) {
                    options[(int) (v - min)] = b.lit(Long.toString(v));
                }
                return b.alt(options);
            }
        }
        if (max == null && min == 0) {
            return natural();
        }
        if (max == null && min == 1) {
            return GrammarBuilder.seq(b.range('1', '9'), digits(0, 15));
        }
        throw error(path, "integer bounds other than a range of at most " + MAX_ENUMERATED_INTEGERS
                + " values, minimum 0 or minimum 1 are not supported");
    }

    private int[] number(Map<String, Object> m, String path) {
        boolean bounded = m.containsKey("minimum") || m.containsKey("maximum") || m.containsKey("exclusiveMinimum")
                || m.containsKey("exclusiveMaximum");
        int[] fraction = b.opt(GrammarBuilder.seq(b.lit("."), digits(1, 16)));
        if (!bounded) {
            return shared("number", () -> GrammarBuilder.seq(b.opt(b.lit("-")), natural(), fraction,
                    b.opt(GrammarBuilder.seq(b.alt(b.lit("e"), b.lit("E")), b.opt(b.alt(b.lit("-"), b.lit("+"))), digits(1, 2)))));
        }
        Object minimum = m.get("minimum");
        if (m.keySet().stream().filter(k -> k.contains("imum")).count() == 1 && minimum instanceof Number n
                && n.doubleValue() == 0) {
            return GrammarBuilder.seq(natural(), fraction); // no exponent: 0e-5 style cannot go negative anyway
        }
        throw error(path, "number bounds other than minimum 0 are not supported (use an integer range)");
    }

    /** An inclusive integer bound from the inclusive or exclusive keyword ({@code step}: +1 for minimum, -1 for maximum). */
    private Long bound(Map<String, Object> m, String inclusive, String exclusive, int step, String path) {
        Long out = null;
        if (m.containsKey(inclusive)) {
            double x = number(m.get(inclusive), path + "/" + inclusive);
            out = (long) (step > 0 ? Math.ceil(x) : Math.floor(x));
        }
        if (m.containsKey(exclusive)) {
            double x = number(m.get(exclusive), path + "/" + exclusive);
            long v = (long) (step > 0 ? Math.floor(x) + 1 : Math.ceil(x) - 1);
            out = out == null ? v : (step > 0 ? Math.max(out, v) : Math.min(out, v));
        }
        return out;
    }

    private static double number(Object v, String path) {
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw error(path, "must be a number, got " + kind(v));
    }

    // ---- objects and arrays

    private int[] ws() {
        return shared("ws", () -> b.alt(GrammarBuilder.EMPTY, b.lit(" "),
                GrammarBuilder.seq(b.lit("\n"), b.repeat(b.lit(" "), 0, 16))));
    }

    private int[] object(Map<String, Object> m, String path) {
        Map<String, Object> props = new LinkedHashMap<>();
        if (m.containsKey("properties")) {
            if (!(m.get("properties") instanceof Map<?, ?> pm)) {
                throw error(path + "/properties", "must be an object, got " + kind(m.get("properties")));
            }
            pm.forEach((k, v) -> props.put((String) k, v));
        }
        List<String> required = new ArrayList<>();
        if (m.containsKey("required")) {
            for (Object r : list(m.get("required"), path + "/required")) {
                required.add(string(r, path + "/required"));
            }
        }
        for (String r : required) {
            if (!props.containsKey(r)) {
                throw error(path + "/required", "'" + r + "' is required but not among the properties (not supported)");
            }
        }
        Object additional = m.getOrDefault("additionalProperties", props.isEmpty() && !m.containsKey("properties"));
        int[] extraValue = Boolean.FALSE.equals(additional) ? null : schema(additional, path + "/additionalProperties");
        // chain[i][c]: properties i.. given whether a comma is owed (c = 1) before the next member
        List<String> names = new ArrayList<>(props.keySet());
        int n = names.size();
        int[][] chain = new int[2][];
        if (extraValue == null) {
            chain[0] = GrammarBuilder.EMPTY;
            chain[1] = GrammarBuilder.EMPTY;
        } else {
            int[] member = member(anyString(), extraValue);
            int[] more = b.star(GrammarBuilder.seq(b.lit(","), ws(), member));
            chain[0] = b.opt(GrammarBuilder.seq(member, more));
            chain[1] = more;
        }
        for (int i = n - 1; i >= 0; i--) {
            String name = names.get(i);
            int[] kv = member(b.lit(Json.write(name)), schema(props.get(name), path + "/properties/" + name));
            boolean optional = !required.contains(name);
            int[][] next = new int[2][];
            int after = b.rule();
            b.define(after, chain[1]);
            for (int c = 0; c < 2; c++) {
                int[] take = GrammarBuilder.seq(c == 1 ? GrammarBuilder.seq(b.lit(","), ws()) : GrammarBuilder.EMPTY, kv,
                        GrammarBuilder.ref(after));
                next[c] = optional ? b.alt(take, chain[c]) : take;
            }
            chain = next;
        }
        return GrammarBuilder.seq(b.lit("{"), ws(), chain[0], b.lit("}"));
    }

    /** {@code key ws ":" ws value ws}: a member owns the space after it, so commas and braces never compete for it. */
    private int[] member(int[] key, int[] value) {
        return GrammarBuilder.seq(key, ws(), b.lit(":"), ws(), value, ws());
    }

    private int[] array(Map<String, Object> m, String path) {
        int min = count(m, "minItems", 0, path);
        int max = count(m, "maxItems", -1, path);
        if (max >= 0 && max < min) {
            throw error(path, "maxItems " + max + " is below minItems " + min);
        }
        List<int[]> prefix = new ArrayList<>();
        if (m.containsKey("prefixItems")) {
            List<?> p = list(m.get("prefixItems"), path + "/prefixItems");
            for (int i = 0; i < p.size(); i++) {
                prefix.add(GrammarBuilder.seq(schema(p.get(i), path + "/prefixItems/" + i), ws()));
            }
        }
        Object items = m.getOrDefault("items", Boolean.TRUE);
        int[] sep = GrammarBuilder.seq(b.lit(","), ws());
        if (prefix.isEmpty()) {
            int[] item = GrammarBuilder.seq(schema(items, path + "/items"), ws());
            return GrammarBuilder.seq(b.lit("["), ws(), b.list(item, sep, min, max), b.lit("]"));
        }
        int k = prefix.size();
        if (max >= 0 && max < k) {
            throw error(path, "maxItems below the number of prefixItems is not supported");
        }
        List<int[]> parts = new ArrayList<>();
        parts.add(b.lit("["));
        parts.add(ws());
        for (int i = 0; i < k; i++) {
            parts.add(i == 0 ? prefix.get(i) : GrammarBuilder.seq(sep, prefix.get(i)));
        }
        if (!Boolean.FALSE.equals(items)) {
            int[] item = GrammarBuilder.seq(schema(items, path + "/items"), ws());
            parts.add(b.repeat(GrammarBuilder.seq(sep, item), Math.max(0, min - k), max < 0 ? -1 : max - k));
        } else if (min > k) {
            throw error(path, "minItems above the number of prefixItems with items false accepts no value");
        }
        parts.add(b.lit("]"));
        return GrammarBuilder.seq(parts.toArray(new int[0][]));
    }

    /** Any JSON value (a recursive rule). */
    private int[] anyValue() {
        Integer r = refs.get("any");
        if (r != null) {
            return GrammarBuilder.ref(r);
        }
        int value = b.rule();
        refs.put("any", value);
        int[] v = GrammarBuilder.ref(value);
        int[] sep = GrammarBuilder.seq(b.lit(","), ws());
        int[] object = GrammarBuilder.seq(b.lit("{"), ws(), b.list(member(anyString(), v), sep, 0, -1), b.lit("}"));
        int[] array = GrammarBuilder.seq(b.lit("["), ws(), b.list(GrammarBuilder.seq(v, ws()), sep, 0, -1), b.lit("]"));
        int[] number = number(Map.of(), "");
        b.define(value, object, array, anyString(), number, b.lit("true"), b.lit("false"), b.lit("null"));
        return v;
    }

    // ---- helpers

    private int[] shared(String key, java.util.function.Supplier<int[]> make) {
        int[] piece = shared.get(key);
        if (piece == null) {
            int r = b.rule();
            shared.put(key, GrammarBuilder.ref(r));
            b.define(r, make.get());
            piece = GrammarBuilder.ref(r);
        }
        return piece;
    }

    private static Map<String, Object> withoutKey(Map<String, Object> m, String key) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.remove(key);
        return out;
    }

    private int count(Map<String, Object> m, String key, int absent, String path) {
        if (!m.containsKey(key)) {
            return absent;
        }
        if (!(m.get(key) instanceof Long l) || l < 0 || l > 100_000) {
            throw error(path + "/" + key, "must be a non-negative integer (at most 100000), got " + kind(m.get(key)));
        }
        return (int) (long) l;
    }

    private static String string(Object v, String path) {
        if (!(v instanceof String s)) {
            throw error(path, "must be a string, got " + kind(v));
        }
        return s;
    }

    private static List<?> list(Object v, String path) {
        if (!(v instanceof List<?> l)) {
            throw error(path, "must be an array, got " + kind(v));
        }
        return l;
    }

    private static String kind(Object v) {
        return v == null ? "null" : v instanceof Map ? "an object" : v instanceof List ? "an array"
                : v instanceof String ? "a string" : v instanceof Boolean ? "a boolean" : "the number " + v;
    }

    private static SchemaException error(String path, String message) {
        return new SchemaException("JSON schema " + (path.isEmpty() ? "(root)" : path) + ": " + message);
    }
}
