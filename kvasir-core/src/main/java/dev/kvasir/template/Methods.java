package dev.kvasir.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Python methods reachable from templates ({@code s.strip()}, {@code d.items()}, ...). Mutating methods
 * are "unsafe" under transformers' ImmutableSandboxedEnvironment and raise a SecurityError when used.
 */
final class Methods {
    private static final Set<String> UNSAFE_LIST = Set.of("append", "extend", "insert", "pop", "remove", "reverse",
            "sort", "clear");
    private static final Set<String> UNSAFE_DICT = Set.of("update", "pop", "popitem", "clear", "setdefault");

    private Methods() {
    }

    /** The bound method {@code obj.name}, or null when obj has no such method. */
    static Object lookup(Object obj, String name) {
        return switch (obj) {
            case String s -> stringMethod(s, name);
            case Map<?, ?> m -> UNSAFE_DICT.contains(name) ? Undefined.unsafe(obj, name) : dictMethod(m, name);
            case PyTuple t -> listMethod(t.items(), name);
            case List<?> l -> UNSAFE_LIST.contains(name) ? Undefined.unsafe(obj, name) : listMethod(l, name);
            case null, default -> null;
        };
    }

    private static PyCallable dictMethod(Map<?, ?> m, String name) {
        return switch (name) {
            case "items" -> (a, k) -> {
                List<Object> out = new ArrayList<>();
                m.forEach((key, v) -> out.add(new PyTuple(java.util.Arrays.asList(key, v))));
                return out;
            };
            case "keys" -> (a, k) -> new ArrayList<Object>(m.keySet());
            case "values" -> (a, k) -> new ArrayList<Object>(m.values());
            case "get" -> (a, k) -> {
                Args args = new Args("get", a, k);
                Object key = args.get(0, "key", Args.REQUIRED);
                return m.containsKey(key) ? m.get(key) : args.get(1, "default", null);
            };
            case "copy" -> (a, k) -> m;
            default -> null;
        };
    }

    private static PyCallable listMethod(List<?> l, String name) {
        return switch (name) {
            case "index" -> (a, k) -> {
                Object x = new Args("index", a, k).get(0, "value", Args.REQUIRED);
                for (int i = 0; i < l.size(); i++) {
                    if (Py.eq(l.get(i), x)) {
                        return (long) i;
                    }
                }
                throw PyError.value(PyFormat.repr(x) + " is not in list");
            };
            case "count" -> (a, k) -> {
                Object x = new Args("count", a, k).get(0, "value", Args.REQUIRED);
                return l.stream().filter(v -> Py.eq(v, x)).count();
            };
            default -> null;
        };
    }

    private static PyCallable stringMethod(String s, String name) {
        return switch (name) {
            case "strip", "lstrip", "rstrip" -> (a, k) -> {
                Object chars = new Args(name, a, k).get(0, "chars", null);
                return PyStrings.strip(s, chars == null ? null : Args.str(chars, name), !name.equals("rstrip"),
                        !name.equals("lstrip"));
            };
            case "split", "rsplit" -> (a, k) -> {
                Args args = new Args(name, a, k);
                Object sep = args.get(0, "sep", null);
                long max = Args.integer(args.get(1, "maxsplit", -1L), name);
                if (name.equals("rsplit") && max >= 0) {
                    throw PyError.value("rsplit with maxsplit is not supported");
                }
                return PyStrings.split(s, sep == null ? null : Args.str(sep, name), max);
            };
            case "splitlines" -> (a, k) -> new ArrayList<Object>(s.lines().toList());
            case "startswith", "endswith" -> (a, k) -> {
                Object prefix = new Args(name, a, k).get(0, "prefix", Args.REQUIRED);
                List<Object> options = prefix instanceof PyTuple t ? t.items() : List.of(prefix);
                return options.stream().anyMatch(p -> name.equals("startswith")
                        ? s.startsWith(Args.str(p, name)) : s.endsWith(Args.str(p, name)));
            };
            case "center" -> (a, k) -> PyStrings.center(s, (int) Args.integer(new Args(name, a, k)
                    .get(0, "width", Args.REQUIRED), name));
            case "upper" -> (a, k) -> s.toUpperCase(Locale.ROOT);
            case "lower" -> (a, k) -> s.toLowerCase(Locale.ROOT);
            case "title" -> (a, k) -> PyStrings.title(s);
            case "capitalize" -> (a, k) -> PyStrings.capitalize(s);
            case "replace" -> (a, k) -> {
                Args args = new Args(name, a, k);
                return PyStrings.replace(s, Args.str(args.get(0, "old", Args.REQUIRED), name),
                        Args.str(args.get(1, "new", Args.REQUIRED), name),
                        Args.integer(args.get(2, "count", -1L), name));
            };
            case "find", "rfind", "index" -> (a, k) -> {
                String sub = Args.str(new Args(name, a, k).get(0, "sub", Args.REQUIRED), name);
                int at = name.equals("rfind") ? s.lastIndexOf(sub) : s.indexOf(sub);
                if (at < 0 && name.equals("index")) {
                    throw PyError.value("substring not found");
                }
                return at < 0 ? -1L : (long) s.codePointCount(0, at);
            };
            case "count" -> (a, k) -> PyStrings.count(s, Args.str(new Args(name, a, k).get(0, "x", Args.REQUIRED),
                    name));
            case "join" -> (a, k) -> {
                StringBuilder sb = new StringBuilder();
                List<Object> items = Py.iterate(new Args(name, a, k).get(0, "iterable", Args.REQUIRED));
                for (int i = 0; i < items.size(); i++) {
                    sb.append(i > 0 ? s : "").append(Args.str(items.get(i), name));
                }
                return sb.toString();
            };
            case "format" -> (a, k) -> StrFormat.format(s, a, k);
            case "removeprefix" -> (a, k) -> {
                String p = Args.str(new Args(name, a, k).get(0, "prefix", Args.REQUIRED), name);
                return s.startsWith(p) ? s.substring(p.length()) : s;
            };
            case "removesuffix" -> (a, k) -> {
                String p = Args.str(new Args(name, a, k).get(0, "suffix", Args.REQUIRED), name);
                return s.endsWith(p) && !p.isEmpty() ? s.substring(0, s.length() - p.length()) : s;
            };
            case "isdigit" -> (a, k) -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha" -> (a, k) -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isspace" -> (a, k) -> !s.isEmpty() && s.codePoints().allMatch(PyStrings::isSpace);
            case "islower" -> (a, k) -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase(Locale.ROOT));
            case "isupper" -> (a, k) -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase(Locale.ROOT));
            default -> null;
        };
    }
}
