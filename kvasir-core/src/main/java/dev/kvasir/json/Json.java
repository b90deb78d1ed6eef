package dev.kvasir.json;

/**
 * A small strict JSON (RFC 8259) parser and writer for a project without dependencies.
 *
 * <p>{@link #parse} returns {@code Map<String, Object>} (a LinkedHashMap in document order), {@code List<Object>},
 * {@link String}, {@link Long} (integers; ones beyond the long range become Double), {@link Double} (numbers with a
 * fraction or exponent), {@link Boolean} or {@code null}. It refuses anything RFC 8259 does not allow (comments,
 * trailing commas, single quotes, NaN, leading zeros, unescaped control characters), duplicate keys in an object
 * and nesting deeper than {@value JsonParser#MAX_DEPTH}.
 *
 * <p>{@link #write(Object, JsonStyle)} accepts those types plus any Number, CharSequence, Collection, Java array and
 * Map with String keys. {@link JsonStyle#PYTHON} output equals Python's {@code json.dumps} with default arguments
 * (float repr, {@code ensure_ascii}, separators {@code ", "} and {@code ": "}).
 */
public final class Json {
    private Json() {}

    public static Object parse(String text) {
        return new JsonParser(text).parseDocument();
    }

    /** Compact standard JSON: no spaces, non-ASCII characters written as is. */
    public static String write(Object value) {
        return write(value, JsonStyle.COMPACT);
    }

    /** Python's {@code repr(float)} as json.dumps writes it (NaN and Infinity as json.dumps spells them). */
    public static String pythonFloat(double d) {
        return JsonWriter.pythonFloat(d);
    }

    public static String write(Object value, JsonStyle style) {
        StringBuilder out = new StringBuilder();
        new JsonWriter(out, style).value(value, 0);
        return out.toString();
    }
}
