package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import java.util.Locale;

/** Byte counts as users write them: 1048576, 512K, 64M, 4G (binary multiples). */
final class ByteSize {
    private ByteSize() {}

    static long parse(String option, String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        int shift = 0;
        if (!t.isEmpty()) {
            shift = switch (t.charAt(t.length() - 1)) {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                case 'T' -> 40;
                default -> 0;
            };
        }
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new KvasirException(option + ": '" + text + "' is not a byte size; write e.g. 1048576, 512K, 64M or 4G");
        }
    }
}
