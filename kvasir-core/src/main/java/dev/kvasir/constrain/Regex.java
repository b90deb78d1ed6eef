package dev.kvasir.constrain;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON-schema {@code pattern} (ECMA-262 syntax) to grammar pieces generating JSON-string content whose
 * unescaped text matches the pattern in full (a full match is also a match for the unanchored search
 * JSON schema performs). Supported: literals, {@code .}, classes {@code [a-z_]}, {@code [^...]},
 * {@code \d \w \s \D \W \S}, escapes, groups {@code (...)} and {@code (?:...)}, alternation, quantifiers
 * {@code * + ? {n} {n,} {n,m}} (lazy forms generate the same strings), {@code ^} at the start and
 * {@code $} at the end. Not supported (a {@link SchemaException}): backreferences, lookaround,
 * {@code \b}, anchors elsewhere. The generated language may be smaller than the pattern's: control
 * characters are never produced, positive classes keep only their ASCII members, and {@code \s} is a space.
 */
final class Regex {
    private final GrammarBuilder b;
    private final String p;
    private int at;

    Regex(GrammarBuilder b, String pattern) {
        this.b = b;
        this.p = pattern;
    }

    int[] compile() {
        if (p.startsWith("^")) {
            at = 1;
        }
        int[] out = alternation();
        if (at < p.length()) {
            throw new SchemaException("unexpected '" + p.charAt(at) + "' at offset " + at + " of the pattern");
        }
        return out;
    }

    private int[] alternation() {
        List<int[]> options = new ArrayList<>();
        options.add(sequence());
        while (at < p.length() && p.charAt(at) == '|') {
            at++;
            options.add(sequence());
        }
        return b.alt(options.toArray(new int[0][]));
    }

    private int[] sequence() {
        List<int[]> parts = new ArrayList<>();
        while (at < p.length() && p.charAt(at) != '|' && p.charAt(at) != ')') {
            if (p.charAt(at) == '$' && at == p.length() - 1) {
                at++;
                break;
            }
            parts.add(quantified(atom()));
        }
        return GrammarBuilder.seq(parts.toArray(new int[0][]));
    }

    private int[] quantified(int[] atom) {
        if (at >= p.length()) {
            return atom;
        }
        char c = p.charAt(at);
        int min;
        int max;
        if (c == '*') {
            min = 0;
            max = -1;
            at++;
        } else if (c == '+') {
            min = 1;
            max = -1;
            at++;
        } else if (c == '?') {
            min = 0;
            max = 1;
            at++;
        } else if (c == '{' && p.indexOf('}', at) > 0 && p.substring(at + 1, p.indexOf('}', at)).matches("\\d+(,\\d*)?")) {
            String body = p.substring(at + 1, p.indexOf('}', at));
            at = p.indexOf('}', at) + 1;
            int comma = body.indexOf(',');
            min = Integer.parseInt(comma < 0 ? body : body.substring(0, comma));
            max = comma < 0 ? min : comma == body.length() - 1 ? -1 : Integer.parseInt(body.substring(comma + 1));
            if ((max >= 0 && max < min) || min > 10_000 || max > 10_000) {
                throw new SchemaException("bad repetition {" + body + "} in the pattern");
            }
        } else {
            return atom;
        }
        if (at < p.length() && p.charAt(at) == '?') {
            at++; // lazy: the same strings
        }
        return quantified(b.repeat(atom, min, max));
    }

    private int[] atom() {
        char c = p.charAt(at++);
        switch (c) {
            case '(' -> {
                if (p.startsWith("?:", at)) {
                    at += 2;
                } else if (p.startsWith("?", at)) {
                    throw new SchemaException("lookaround and named groups are not supported in patterns");
                }
                int[] inner = alternation();
                if (at >= p.length() || p.charAt(at) != ')') {
                    throw new SchemaException("unclosed group in the pattern");
                }
                at++;
                return inner;
            }
            case '[' -> {
                return charClass();
            }
            case '.' -> {
                return set(everything(), true);
            }
            case '\\' -> {
                return escape(false, null);
            }
            case '^', '$' -> throw new SchemaException("anchors are only supported at the start and end of a pattern");
            case '*', '+', '?' -> throw new SchemaException("nothing to repeat before '" + c + "' in the pattern");
            default -> {
                int cp = Character.codePointAt(p, at - 1);
                at += Character.charCount(cp) - 1;
                return literal(cp);
            }
        }
    }

    /** Parses after '\\'; in a class adds to {@code into} and returns null. */
    private int[] escape(boolean inClass, boolean[] into) {
        if (at >= p.length()) {
            throw new SchemaException("the pattern ends with a lone backslash");
        }
        char c = p.charAt(at++);
        boolean[] set = switch (c) {
            case 'd' -> ascii("0123456789");
            case 'w' -> word();
            case 's' -> ascii(" ");
            case 'D' -> not(ascii("0123456789"));
            case 'W' -> not(word());
            case 'S' -> not(ascii(" \t\n\r\f\u000B"));
            default -> null;
        };
        boolean negatedShorthand = c == 'D' || c == 'W' || c == 'S';
        if (set != null) {
            if (inClass) {
                or(into, set);
                if (negatedShorthand) {
                    into[128] = true;
                }
                return null;
            }
            return set(set, negatedShorthand);
        }
        int cp = switch (c) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'f' -> '\f';
            case 'v' -> 0x0B;
            case '0' -> 0;
            case 'u' -> {
                if (at + 4 > p.length()) {
                    throw new SchemaException("bad \\u escape in the pattern");
                }
                int v = Integer.parseInt(p.substring(at, at + 4), 16);
                at += 4;
                yield v;
            }
            case 'x' -> {
                int v = Integer.parseInt(p.substring(at, at + 2), 16);
                at += 2;
                yield v;
            }
            default -> {
                if (Character.isLetterOrDigit(c)) {
                    throw new SchemaException("the escape \\" + c + " is not supported in patterns");
                }
                yield c;
            }
        };
        if (inClass) {
            if (cp < 128) {
                into[cp] = true;
            }
            return null;
        }
        return literal(cp);
    }

    /**
     * {@code [...]}: index 0..127 are ASCII members, index 128 stands for "every non-ASCII character"
     * (only negated classes and negated shorthands have it; positive non-ASCII ranges are dropped).
     */
    private int[] charClass() {
        boolean negated = at < p.length() && p.charAt(at) == '^';
        if (negated) {
            at++;
        }
        boolean[] set = new boolean[129];
        boolean first = true;
        while (at < p.length() && (p.charAt(at) != ']' || first)) {
            first = false;
            int lo;
            if (p.charAt(at) == '\\') {
                at++;
                char e = at < p.length() ? p.charAt(at) : 0;
                if ("dwsDWS".indexOf(e) >= 0) {
                    escape(true, set);
                    continue;
                }
                at--;
                lo = classChar();
            } else {
                lo = classChar();
            }
            int hi = lo;
            if (at + 1 < p.length() && p.charAt(at) == '-' && p.charAt(at + 1) != ']') {
                at++;
                hi = classChar();
                if (hi < lo) {
                    throw new SchemaException("bad range in a pattern class");
                }
            }
            for (int x = lo; x <= Math.min(hi, 127); x++) {
                set[x] = true;
            }
        }
        if (at >= p.length()) {
            throw new SchemaException("unclosed [ in the pattern");
        }
        at++;
        return negated ? set(not(set), true) : set(set, set[128]);
    }

    private int classChar() {
        char c = p.charAt(at++);
        if (c != '\\') {
            int cp = Character.codePointAt(p, at - 1);
            at += Character.charCount(cp) - 1;
            return cp;
        }
        char e = p.charAt(at++);
        return switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'u' -> {
                int v = Integer.parseInt(p.substring(at, at + 4), 16);
                at += 4;
                yield v;
            }
            default -> e;
        };
    }

    /** Grammar for one character of {@code set} (ASCII members, plus all non-ASCII when {@code nonAscii}), JSON-escaped. */
    private int[] set(boolean[] set, boolean nonAscii) {
        long[] plain = new long[4];
        List<int[]> options = new ArrayList<>();
        for (int c = 0x20; c < 128; c++) {
            if (!set[c]) {
                continue;
            }
            if (c == '"' || c == '\\') {
                options.add(b.lit("\\" + (char) c));
            } else {
                Bytes.range(plain, c, c);
            }
        }
        if (plain[0] != 0 || plain[1] != 0) {
            options.add(0, b.cls(plain));
        }
        if (nonAscii) {
            options.add(new JsonSchemaCompiler(b, null).nonAscii());
        }
        if (options.isEmpty()) {
            throw new SchemaException("a class in the pattern has no printable character to generate");
        }
        return b.alt(options.toArray(new int[0][]));
    }

    /** One literal character, written as JSON string content. */
    private int[] literal(int cp) {
        return switch (cp) {
            case '"' -> b.lit("\\\"");
            case '\\' -> b.lit("\\\\");
            case '\n' -> b.lit("\\n");
            case '\t' -> b.lit("\\t");
            case '\r' -> b.lit("\\r");
            default -> cp < 0x20 ? b.lit(String.format("\\u%04x", cp)) : b.lit(new String(Character.toChars(cp)));
        };
    }

    private static boolean[] ascii(String chars) {
        boolean[] s = new boolean[129];
        for (char c : chars.toCharArray()) {
            s[c] = true;
        }
        return s;
    }

    private static boolean[] word() {
        boolean[] s = new boolean[129];
        for (int c = 0; c < 128; c++) {
            s[c] = Character.isLetterOrDigit(c) || c == '_';
        }
        return s;
    }

    private static boolean[] everything() {
        boolean[] s = new boolean[129];
        java.util.Arrays.fill(s, true);
        s['\n'] = false; // '.' does not match a newline
        return s;
    }

    private static boolean[] not(boolean[] set) {
        boolean[] s = new boolean[129];
        for (int i = 0; i < 128; i++) {
            s[i] = !set[i];
        }
        s[128] = true;
        return s;
    }

    private static void or(boolean[] into, boolean[] set) {
        for (int i = 0; i < 128; i++) {
            into[i] |= set[i];
        }
    }
}
