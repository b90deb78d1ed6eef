package dev.kvasir.template;

import java.util.List;
import java.util.Map;

/** Python's {@code str.format}: {}, {0}, {name} and {name.attr} fields with optional !r/!s; no format specs. */
final class StrFormat {
    private StrFormat() {
    }

    static String format(String template, List<Object> args, Map<String, Object> kwargs) {
        StringBuilder sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                sb.append('{');
                i++;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                sb.append('}');
                i++;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw PyError.value("Single '{' encountered in format string");
                }
                String field = template.substring(i + 1, close);
                boolean repr = field.endsWith("!r");
                if (repr || field.endsWith("!s")) {
                    field = field.substring(0, field.length() - 2);
                }
                if (field.contains(":")) {
                    throw PyError.value("format specs are not supported: {" + field + "}");
                }
                Object value = field(field, args, kwargs, field.isEmpty() ? auto++ : -1);
                sb.append(repr ? PyFormat.repr(value) : PyFormat.str(value));
                i = close;
            } else if (c == '}') {
                throw PyError.value("Single '}' encountered in format string");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Object field(String field, List<Object> args, Map<String, Object> kwargs, int autoIndex) {
        String[] path = field.split("\\.");
        Object value;
        if (autoIndex >= 0 || path[0].chars().allMatch(Character::isDigit)) {
            int index = autoIndex >= 0 ? autoIndex : Integer.parseInt(path[0]);
            if (index >= args.size()) {
                throw new PyError("IndexError", "Replacement index " + index + " out of range for positional args tuple");
            }
            value = args.get(index);
        } else if (kwargs.containsKey(path[0])) {
            value = kwargs.get(path[0]);
        } else {
            throw new PyError("KeyError", PyFormat.repr(path[0]));
        }
        for (int i = 1; i < path.length; i++) {
            value = Attributes.getattr(value, path[i]);
        }
        return value;
    }
}
