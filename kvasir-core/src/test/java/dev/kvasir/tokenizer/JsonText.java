package dev.kvasir.tokenizer;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough JSON reading for the flat llama.cpp reference files (core has no JSON dependency). */
final class JsonText {
    private JsonText() {
    }

    /** The raw (still quoted) string value of a top-level "key": "...". */
    static String field(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":\\s*(\"(?:[^\"\\\\]|\\\\.)*\")").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no string field " + key);
        }
        return m.group(1);
    }

    /** The contents between the brackets of "key": [ ... ]. */
    static String arrayField(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":\\s*\\[([^\\]]*)\\]").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no array field " + key);
        }
        return m.group(1);
    }

    static int[] ints(String list) {
        String t = list.strip();
        return t.isEmpty() ? new int[0] : Arrays.stream(t.split(",")).map(String::strip)
                .mapToInt(Integer::parseInt).toArray();
    }

    /** Decodes a JSON string literal including its quotes (\\uXXXX surrogate pairs included). */
    static String unquote(String quoted) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = quoted.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(quoted.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
