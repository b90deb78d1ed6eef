package dev.kvasir.template;

import dev.kvasir.template.Token.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja2's lexer with transformers' settings: trim_blocks (drop the newline after a block or comment
 * tag), lstrip_blocks (drop the indentation before one), and {@code -}/{@code +} whitespace control.
 */
final class Lexer {
    private static final Pattern RAW_BEGIN = Pattern.compile("\\{%([-+]?)\\s*raw\\s*(?:-%}\\s*|%})");
    private static final Pattern RAW_END = Pattern.compile(
            "\\{%([-+]?)\\s*endraw\\s*(?:\\+%}|-%}\\s*|%}\\n?)");
    private static final Pattern FLOAT = Pattern.compile(
            "(?<!\\.)(?:\\d+_)*\\d+(?:(?:\\.(?:\\d+_)*\\d+)?[eE][+\\-]?(?:\\d+_)*\\d+|\\.(?:\\d+_)*\\d+)");
    private static final Pattern INTEGER = Pattern.compile(
            "0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[\\da-fA-F])+|[1-9](?:_?\\d)*|0(?:_?0)*");
    private static final Pattern NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_]*");
    private static final Pattern STRING = Pattern.compile(
            "'([^'\\\\]*(?:\\\\.[^'\\\\]*)*)'|\"([^\"\\\\]*(?:\\\\.[^\"\\\\]*)*)\"", Pattern.DOTALL);
    private static final List<String> OPERATORS = List.of("//", "**", "==", "!=", ">=", "<=",
            "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";");

    private final Source source;
    private final String s;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private boolean lineStarting = true;

    private Lexer(Source source) {
        this.source = source;
        this.s = source.text();
    }

    static List<Token> tokenize(Source source) {
        Lexer lexer = new Lexer(source);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (pos < s.length()) {
            int tag = nextTag(pos);
            if (tag < 0) {
                text(s.substring(pos), pos);
                break;
            }
            char kind = s.charAt(tag + 1);
            String sign = tag + 2 < s.length() && "-+".indexOf(s.charAt(tag + 2)) >= 0
                    ? String.valueOf(s.charAt(tag + 2)) : "";
            Matcher raw = RAW_BEGIN.matcher(s).region(tag, s.length());
            boolean isRaw = kind == '%' && raw.lookingAt();
            if (isRaw) {
                sign = raw.group(1);
            }
            text(leftStrip(s.substring(pos, tag), sign, kind != '{'), pos);
            if (isRaw) {
                raw(tag, raw.end());
                continue;
            }
            pos = tag + 2 + sign.length();
            switch (kind) {
                case '#' -> comment(tag);
                case '{' -> tag(tag, Kind.VAR_BEGIN, Kind.VAR_END);
                default -> tag(tag, Kind.BLOCK_BEGIN, Kind.BLOCK_END);
            }
        }
        tokens.add(new Token(Kind.EOF, "", s.length()));
    }

    private int nextTag(int from) {
        for (int i = s.indexOf('{', from); i >= 0 && i + 1 < s.length(); i = s.indexOf('{', i + 1)) {
            if ("{%#".indexOf(s.charAt(i + 1)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private void text(String text, int at) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Kind.TEXT, text, at));
        }
    }

    /** Whitespace before a tag: all of it for "-", the line's indentation for lstrip_blocks (not before {{). */
    private String leftStrip(String text, String sign, boolean lstripAllowed) {
        if (sign.equals("-")) {
            return PyStrings.strip(text, null, false, true);
        }
        if (sign.equals("+") || !lstripAllowed) {
            return text;
        }
        int lineStart = text.lastIndexOf('\n') + 1;
        if ((lineStart > 0 || lineStarting) && lineStart < text.length()
                && text.substring(lineStart).codePoints().allMatch(PyStrings::isSpace)) {
            return text.substring(0, lineStart);
        }
        return text;
    }

    private void raw(int tag, int bodyStart) {
        Matcher end = RAW_END.matcher(s);
        if (!end.find(bodyStart)) {
            throw source.syntaxError(tag, "missing end of raw directive ({% endraw %})");
        }
        lineStarting = s.charAt(bodyStart - 1) == '\n';
        text(leftStrip(s.substring(bodyStart, end.start()), end.group(1), true), bodyStart);
        pos = end.end();
        lineStarting = s.charAt(pos - 1) == '\n';
    }

    private void comment(int tag) {
        int close = s.indexOf("#}", pos);
        if (close < 0) {
            throw source.syntaxError(tag, "missing end of comment tag (#})");
        }
        char before = close > pos ? s.charAt(close - 1) : 0;
        pos = before == '-' ? skipWhitespace(close + 2) : before == '+' ? close + 2 : trimNewline(close + 2);
        lineStarting = s.charAt(pos - 1) == '\n';
    }

    private int skipWhitespace(int at) {
        while (at < s.length() && PyStrings.isSpace(s.charAt(at))) {
            at++;
        }
        return at;
    }

    private int trimNewline(int at) {
        return at < s.length() && s.charAt(at) == '\n' ? at + 1 : at; // trim_blocks
    }

    private void tag(int tag, Kind begin, Kind endKind) {
        tokens.add(new Token(begin, s.substring(tag, pos), tag));
        Deque<String> brackets = new ArrayDeque<>();
        while (true) {
            if (pos >= s.length()) {
                throw source.syntaxError(tag, "unexpected end of template: tag opened here is never closed");
            }
            if (brackets.isEmpty() && tagEnd(endKind)) {
                return;
            }
            if (PyStrings.isSpace(s.charAt(pos))) {
                pos++;
                continue;
            }
            Token token = tagToken();
            if (token.kind() == Kind.OPERATOR) {
                balance(brackets, token);
            }
            tokens.add(token);
        }
    }

    private boolean tagEnd(Kind endKind) {
        int start = pos;
        String close = endKind == Kind.VAR_END ? "}}" : "%}";
        int end;
        if (endKind == Kind.BLOCK_END && s.startsWith("+" + close, pos)) {
            end = pos + 3;
        } else if (s.startsWith("-" + close, pos)) {
            end = skipWhitespace(pos + 3);
        } else if (s.startsWith(close, pos)) {
            end = endKind == Kind.BLOCK_END ? trimNewline(pos + 2) : pos + 2;
        } else {
            return false;
        }
        tokens.add(new Token(endKind, s.substring(start, end), start));
        pos = end;
        lineStarting = s.charAt(end - 1) == '\n';
        return true;
    }

    private Token tagToken() {
        int start = pos;
        char c = s.charAt(pos);
        Matcher m;
        if (Character.isDigit(c)) {
            if ((m = match(FLOAT)) != null) {
                return new Token(Kind.FLOAT, m.group().replace("_", ""), start);
            }
            if ((m = match(INTEGER)) != null) {
                return new Token(Kind.INTEGER, m.group().replace("_", ""), start);
            }
        } else if (c == '\'' || c == '"') {
            if ((m = match(STRING)) != null) {
                String body = m.group(1) != null ? m.group(1) : m.group(2);
                return new Token(Kind.STRING, unescape(body, start), start);
            }
        } else if ((m = match(NAME)) != null) {
            return new Token(Kind.NAME, m.group(), start);
        }
        for (String op : OPERATORS) {
            if (s.startsWith(op, pos)) {
                pos += op.length();
                return new Token(Kind.OPERATOR, op, start);
            }
        }
        throw source.syntaxError(pos, "unexpected character '" + s.charAt(pos) + "'");
    }

    private Matcher match(Pattern pattern) {
        Matcher m = pattern.matcher(s).region(pos, s.length());
        m.useTransparentBounds(true);
        if (!m.lookingAt()) {
            return null;
        }
        pos = m.end();
        return m;
    }

    private void balance(Deque<String> brackets, Token token) {
        switch (token.value()) {
            case "(" -> brackets.push(")");
            case "[" -> brackets.push("]");
            case "{" -> brackets.push("}");
            case ")", "]", "}" -> {
                if (brackets.isEmpty()) {
                    throw source.syntaxError(token.pos(), "unexpected '" + token.value() + "'");
                }
                String expected = brackets.pop();
                if (!expected.equals(token.value())) {
                    throw source.syntaxError(token.pos(), "unexpected '" + token.value() + "', expected '" + expected + "'");
                }
            }
            default -> {
            }
        }
    }

    /** Python string-literal escapes (\n, \t, \\, \', \xNN, \\uNNNN, ...); unknown escapes stay as written. */
    private String unescape(String body, int at) {
        if (body.indexOf('\\') < 0) {
            return body;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 >= body.length()) {
                sb.append(c);
                continue;
            }
            char e = body.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case 'a' -> sb.append('\u0007');
                case '0' -> sb.append('\0');
                case '\\', '\'', '"' -> sb.append(e);
                case '\n' -> {
                }
                case 'x', 'u', 'U' -> {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + digits >= body.length()
                            || !body.substring(i + 1, i + 1 + digits).matches("[0-9a-fA-F]+")) {
                        throw source.syntaxError(at, "truncated \\" + e + " escape in string literal");
                    }
                    sb.appendCodePoint(Integer.parseInt(body.substring(i + 1, i + 1 + digits), 16));
                    i += digits;
                }
                default -> sb.append('\\').append(e);
            }
        }
        return sb.toString();
    }
}
