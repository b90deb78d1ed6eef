package dev.kvasir.template;

import java.util.ArrayList;
import java.util.List;

/** Python str indexing works on code points, Java's on UTF-16 units: these helpers bridge that. */
final class PyStrings {
    private PyStrings() {
    }

    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    static List<Object> chars(String s) {
        List<Object> out = new ArrayList<>();
        s.codePoints().forEach(cp -> out.add(Character.toString(cp)));
        return out;
    }

    static String fromChars(List<Object> chars) {
        StringBuilder sb = new StringBuilder();
        chars.forEach(c -> sb.append((String) c));
        return sb.toString();
    }

    /** Python's str.strip family; chars == null means whitespace. */
    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        while (left && start < end && stripped(s.codePointAt(start), chars)) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (right && end > start && stripped(s.codePointBefore(end), chars)) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    private static boolean stripped(int cp, String chars) {
        return chars == null ? isSpace(cp) : chars.indexOf(Character.toString(cp)) >= 0;
    }

    /** Python's str.isspace for one code point (includes \x1c-\x1f, unlike Java's isWhitespace for NBSP). */
    static boolean isSpace(int cp) {
        return switch (cp) {
            case ' ', '\t', '\n', '\r', 0x0b, 0x0c, 0x1c, 0x1d, 0x1e, 0x1f, 0x85, 0xa0 -> true;
            default -> Character.isWhitespace(cp) || Character.isSpaceChar(cp);
        };
    }

    /** str.split(sep, maxsplit) with Python's rules (sep == null: runs of whitespace, no empty parts). */
    static List<Object> split(String s, String sep, long maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    return out;
                }
                if (maxsplit >= 0 && out.size() >= maxsplit) {
                    out.add(strip(s.substring(i), null, false, true));
                    return out;
                }
                int j = i;
                while (j < n && !isSpace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        if (sep.isEmpty()) {
            throw PyError.value("empty separator");
        }
        int from = 0;
        int at;
        while ((maxsplit < 0 || out.size() < maxsplit) && (at = s.indexOf(sep, from)) >= 0) {
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return length(s) + 1L;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    static String replace(String s, String old, String with, long count) {
        if (count < 0) {
            return s.replace(old, with);
        }
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (long i = 0; i < count; i++) {
            int at = s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            sb.append(s, from, at).append(with);
            from = at + old.length();
            if (old.isEmpty()) {
                if (from >= s.length()) {
                    return sb.append(s.substring(from)).toString();
                }
                sb.append(s.charAt(from));
                from++;
            }
        }
        return sb.append(s.substring(from)).toString();
    }

    /** Python's str.title(): a letter after a non-letter is upper-cased, other letters lower-cased. */
    static String title(String s) {
        StringBuilder sb = new StringBuilder();
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean cased = Character.isLetter(cp);
            sb.appendCodePoint(cased ? (previousCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp)) : cp);
            previousCased = cased;
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        int n = Character.charCount(first);
        return Character.toString(Character.toTitleCase(first)) + s.substring(n).toLowerCase(java.util.Locale.ROOT);
    }

    /** Python's str.center (CPython puts the odd extra space on the left only when the width is odd). */
    static String center(String s, int width) {
        int n = length(s);
        if (width <= n) {
            return s;
        }
        int total = width - n;
        int left = total / 2 + (total & width & 1);
        return " ".repeat(left) + s + " ".repeat(total - left);
    }
}
