package dev.kvasir.template;

import java.util.List;
import java.util.Locale;

/** Python's printf-style {@code "%s: %d" % args} (also the {@code format} filter): s r d i f x %. */
final class PrintfFormat {
    private PrintfFormat() {
    }

    static String format(String format, List<Object> args) {
        StringBuilder sb = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            int start = ++i;
            while (i < format.length() && "-+ #0123456789.".indexOf(format.charAt(i)) >= 0) {
                i++;
            }
            if (i >= format.length()) {
                throw PyError.value("incomplete format");
            }
            char conv = format.charAt(i);
            if (conv == '%') {
                sb.append('%');
                continue;
            }
            if (next >= args.size()) {
                throw PyError.type("not enough arguments for format string");
            }
            sb.append(convert(format.substring(start, i), conv, args.get(next++)));
        }
        if (next < args.size()) {
            throw PyError.type("not all arguments converted during string formatting");
        }
        return sb.toString();
    }

    private static String convert(String flags, char conv, Object arg) {
        String javaFlags = "%" + flags;
        return switch (conv) {
            case 's' -> String.format(Locale.ROOT, javaFlags + "s", PyFormat.str(arg));
            case 'r' -> String.format(Locale.ROOT, javaFlags + "s", PyFormat.repr(arg));
            case 'd', 'i' -> String.format(Locale.ROOT, javaFlags + "d", (long) number(arg, conv));
            case 'f', 'F' -> String.format(Locale.ROOT, (flags.contains(".") ? javaFlags : javaFlags + ".6") + "f",
                    number(arg, conv));
            case 'x' -> String.format(Locale.ROOT, javaFlags + "x", (long) number(arg, conv));
            default -> throw PyError.value("unsupported format character '" + conv + "'");
        };
    }

    private static double number(Object arg, char conv) {
        if (!Py.isNumber(arg)) {
            throw PyError.type("%" + conv + " format: a real number is required, not " + Py.typeName(arg));
        }
        return Py.toDouble(arg);
    }
}
