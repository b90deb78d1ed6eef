package dev.kvasir.json;

/**
 * How {@link Json#write(Object, JsonStyle)} formats: separators between items and after keys, indentation
 * ({@code indent < 0}: all on one line), whether non-ASCII characters are escaped, whether object keys are sorted.
 */
public record JsonStyle(String itemSeparator, String keySeparator, int indent, boolean asciiOnly, boolean sortKeys) {
    /** {@code {"a":[1,2]}}: what safetensors and most tools write. */
    public static final JsonStyle COMPACT = new JsonStyle(",", ":", -1, false, false);
    /** Python's {@code json.dumps(value)} with default arguments: {@code {"a": [1, 2]}}, non-ASCII as \\uXXXX. */
    public static final JsonStyle PYTHON = new JsonStyle(", ", ": ", -1, true, false);

    /** Like Python's {@code json.dumps(indent=n)}: one item per line, and "," without a trailing space. */
    public JsonStyle withIndent(int n) {
        return new JsonStyle(n >= 0 && itemSeparator.equals(", ") ? "," : itemSeparator, keySeparator, n, asciiOnly, sortKeys);
    }

    public JsonStyle withAsciiOnly(boolean ascii) {
        return new JsonStyle(itemSeparator, keySeparator, indent, ascii, sortKeys);
    }

    public JsonStyle withSortKeys(boolean sort) {
        return new JsonStyle(itemSeparator, keySeparator, indent, asciiOnly, sort);
    }
}
