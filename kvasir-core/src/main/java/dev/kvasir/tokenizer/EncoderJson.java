package dev.kvasir.tokenizer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a GPT-2 {@code encoder.json}: one flat JSON object from token text to id. Only that shape is
 * accepted (kvasir-core has no JSON dependency); anything else fails with the offset of the problem.
 */
final class EncoderJson {
    private final String json;
    private final String source;
    private int pos;

    private EncoderJson(String json, String source) {
        this.json = json;
        this.source = source;
    }

    /** The token → id entries in file order. */
    static Map<String, Integer> parse(String json, String source) {
        return new EncoderJson(json, source).object();
    }

    private Map<String, Integer> object() {
        Map<String, Integer> entries = new LinkedHashMap<>();
        expect('{');
        if (peek() == '}') {
            pos++;
        } else {
            do {
                String key = string();
                expect(':');
                if (entries.put(key, integer()) != null) {
                    throw error("duplicate token '" + key + "'");
                }
            } while (comma());
            expect('}');
        }
        if (peek() != -1) {
            throw error("unexpected text after the object");
        }
        return entries;
    }

    private boolean comma() {
        if (peek() == ',') {
            pos++;
            return true;
        }
        return false;
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= json.length()) {
                throw error("unterminated string");
            }
            char c = json.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            sb.append(c == '\\' ? escape() : c);
        }
    }

    private char escape() {
        if (pos >= json.length()) {
            throw error("unterminated escape");
        }
        char c = json.charAt(pos++);
        return switch (c) {
            case '"', '\\', '/' -> c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> hex4();
            default -> throw error("bad escape \\" + c);
        };
    }

    /** One UTF-16 unit; a surrogate pair arrives as two escapes and is joined by the StringBuilder. */
    private char hex4() {
        if (pos + 4 > json.length()) {
            throw error("truncated \\u escape");
        }
        try {
            char c = (char) Integer.parseInt(json.substring(pos, pos + 4), 16);
            pos += 4;
            return c;
        } catch (NumberFormatException e) {
            throw error("bad \\u escape");
        }
    }

    private int integer() {
        skipWhitespace();
        int start = pos;
        if (pos < json.length() && json.charAt(pos) == '-') {
            pos++;
        }
        while (pos < json.length() && json.charAt(pos) >= '0' && json.charAt(pos) <= '9') {
            pos++;
        }
        try {
            return Integer.parseInt(json.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error("expected an integer token id");
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    /** The next non-whitespace character (not consumed), or -1 at the end. */
    private int peek() {
        skipWhitespace();
        return pos < json.length() ? json.charAt(pos) : -1;
    }

    private void skipWhitespace() {
        while (pos < json.length() && " \t\r\n".indexOf(json.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private TokenizerException error(String what) {
        return new TokenizerException(source + ": " + what + " at character " + pos
                + "; expected a flat JSON object of token text to id (GPT-2 encoder.json)");
    }
}
