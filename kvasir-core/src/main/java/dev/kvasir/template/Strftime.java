package dev.kvasir.template;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** Python's {@code datetime.strftime} in the C locale, for the {@code strftime_now} global. */
final class Strftime {
    private Strftime() {
    }

    static String format(LocalDateTime t, String format) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                sb.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
                case 'b', 'h' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
                case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
                case 'd' -> sb.append(two(t.getDayOfMonth()));
                case 'e' -> sb.append(String.format("%2d", t.getDayOfMonth()));
                case 'm' -> sb.append(two(t.getMonthValue()));
                case 'y' -> sb.append(two(t.getYear() % 100));
                case 'Y' -> sb.append(t.getYear());
                case 'H' -> sb.append(two(t.getHour()));
                case 'I' -> sb.append(two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12));
                case 'M' -> sb.append(two(t.getMinute()));
                case 'S' -> sb.append(two(t.getSecond()));
                case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
                case 'j' -> sb.append(String.format("%03d", t.getDayOfYear()));
                case 'w' -> sb.append(t.getDayOfWeek().getValue() % 7);
                case 'u' -> sb.append(t.getDayOfWeek().getValue());
                case 'F' -> sb.append(String.format("%d-%s-%s", t.getYear(), two(t.getMonthValue()),
                        two(t.getDayOfMonth())));
                case 'T' -> sb.append(two(t.getHour())).append(':').append(two(t.getMinute())).append(':')
                        .append(two(t.getSecond()));
                case '%' -> sb.append('%');
                default -> sb.append('%').append(d);
            }
        }
        return sb.toString();
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }
}
