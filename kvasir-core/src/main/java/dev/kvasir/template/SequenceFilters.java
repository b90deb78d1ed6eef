package dev.kvasir.template;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Jinja2's filters over sequences: join, map, select/reject(attr), first/last, sort, unique, items, ... */
final class SequenceFilters {
    private SequenceFilters() {
    }

    static Object apply(String name, Object v, Args a, List<Object> positional) {
        return switch (name) {
            case "list" -> new ArrayList<>(Py.iterate(v));
            case "first" -> {
                List<Object> items = Py.iterate(v);
                yield items.isEmpty() ? new Undefined("UndefinedError", "No first item, sequence was empty.")
                        : items.getFirst();
            }
            case "last" -> {
                List<Object> items = Py.iterate(v);
                yield items.isEmpty() ? new Undefined("UndefinedError", "No last item, sequence was empty.")
                        : items.getLast();
            }
            case "join" -> join(v, a);
            case "map" -> map(v, a, positional);
            case "select", "reject" -> select(v, positional, name.equals("select"), null);
            case "selectattr", "rejectattr" -> {
                if (positional.isEmpty()) {
                    throw PyError.type(name + "() needs an attribute name");
                }
                yield select(v, positional.subList(1, positional.size()), name.equals("selectattr"),
                        PyFormat.str(positional.getFirst()));
            }
            case "items" -> {
                List<Object> pairs = new ArrayList<>();
                if (!(v instanceof Undefined)) {
                    requireMap(v).forEach((k, x) -> pairs.add(new PyTuple(java.util.Arrays.asList(k, x))));
                }
                yield pairs;
            }
            case "reverse" -> {
                if (v instanceof String s) {
                    yield new StringBuilder(s).reverse().toString();
                }
                List<Object> items = new ArrayList<>(Py.iterate(v));
                java.util.Collections.reverse(items);
                yield items;
            }
            case "sort" -> sort(v, a);
            case "unique" -> unique(v, a);
            case "dictsort" -> dictsort(v, a);
            case "sum" -> {
                Object total = a.get(1, "start", 0L);
                for (Object item : attributeMapped(v, a.get(0, "attribute", null))) {
                    total = PyOps.binary("+", total, item);
                }
                yield total;
            }
            case "min", "max" -> {
                List<Object> items = sorted(Py.iterate(v), a.get(1, "attribute", null),
                        Py.truthy(a.get(0, "case_sensitive", false)));
                if (items.isEmpty()) {
                    yield new Undefined("UndefinedError", "No aggregated item, sequence was empty.");
                }
                yield name.equals("min") ? items.getFirst() : items.getLast();
            }
            case "batch" -> batch(v, a);
            default -> throw new PyError("TemplateAssertionError", "no filter named '" + name + "'");
        };
    }

    private static Map<?, ?> requireMap(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        throw new PyError("FilterArgumentError", "Can only get item pairs from a mapping.");
    }

    private static String join(Object v, Args a) {
        String sep = PyFormat.str(a.get(0, "d", ""));
        List<Object> items = attributeMapped(v, a.get(1, "attribute", null));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            sb.append(i > 0 ? sep : "").append(PyFormat.str(items.get(i)));
        }
        return sb.toString();
    }

    private static List<Object> attributeMapped(Object v, Object attribute) {
        List<Object> items = Py.iterate(v);
        if (attribute == null) {
            return items;
        }
        List<Object> out = new ArrayList<>();
        items.forEach(item -> out.add(attribute(item, attribute)));
        return out;
    }

    /** Jinja2's make_attrgetter: a dotted path of item lookups ("user.name", "0"). */
    static Object attribute(Object item, Object path) {
        if (!(path instanceof String p)) {
            return Attributes.getitem(item, path);
        }
        Object value = item;
        for (String part : p.split("\\.")) {
            Object key = part.matches("\\d+") ? (Object) Long.parseLong(part) : part;
            value = Attributes.getitem(value, key);
        }
        return value;
    }

    private static List<Object> map(Object v, Args a, List<Object> positional) {
        List<Object> out = new ArrayList<>();
        Object attribute = a.get(-1, "attribute", null);
        if (attribute != null) {
            Object fallback = a.get(-1, "default", Scope.MISSING);
            for (Object item : Py.iterate(v)) {
                Object value = attribute(item, attribute);
                out.add(value instanceof Undefined && fallback != Scope.MISSING ? fallback : value);
            }
            return out;
        }
        if (positional.isEmpty()) {
            throw new PyError("FilterArgumentError", "map requires a filter argument");
        }
        String filter = PyFormat.str(positional.getFirst());
        for (Object item : Py.iterate(v)) {
            out.add(Filters.apply(filter, item, positional.subList(1, positional.size()), Map.of()));
        }
        return out;
    }

    private static List<Object> select(Object v, List<Object> testArgs, boolean keep, String attribute) {
        List<Object> out = new ArrayList<>();
        for (Object item : Py.iterate(v)) {
            Object subject = attribute == null ? item : attribute(item, attribute);
            boolean passed = testArgs.isEmpty() ? Py.truthy(subject)
                    : Tests.apply(PyFormat.str(testArgs.getFirst()), subject, testArgs.subList(1, testArgs.size()));
            if (passed == keep) {
                out.add(item);
            }
        }
        return out;
    }

    private static List<Object> sort(Object v, Args a) {
        List<Object> items = sorted(Py.iterate(v), a.get(2, "attribute", null),
                Py.truthy(a.get(1, "case_sensitive", false)));
        if (Py.truthy(a.get(0, "reverse", false))) {
            java.util.Collections.reverse(items);
        }
        return items;
    }

    private static List<Object> sorted(List<Object> items, Object attribute, boolean caseSensitive) {
        List<Object> out = new ArrayList<>(items);
        out.sort(Comparator.comparing(item -> sortKey(attribute == null ? item : attribute(item, attribute),
                caseSensitive), (x, y) -> Py.compare(x, y, "<")));
        return out;
    }

    private static Object sortKey(Object value, boolean caseSensitive) {
        return !caseSensitive && value instanceof String s ? s.toLowerCase(Locale.ROOT) : value;
    }

    private static List<Object> unique(Object v, Args a) {
        boolean caseSensitive = Py.truthy(a.get(0, "case_sensitive", false));
        Object attribute = a.get(1, "attribute", null);
        List<Object> out = new ArrayList<>();
        List<Object> seen = new ArrayList<>();
        for (Object item : Py.iterate(v)) {
            Object key = sortKey(attribute == null ? item : attribute(item, attribute), caseSensitive);
            if (seen.stream().noneMatch(s -> Py.eq(s, key))) {
                seen.add(key);
                out.add(item);
            }
        }
        return out;
    }

    private static List<Object> dictsort(Object v, Args a) {
        boolean caseSensitive = Py.truthy(a.get(0, "case_sensitive", false));
        String by = PyFormat.str(a.get(1, "by", "key"));
        int index = switch (by) {
            case "key" -> 0;
            case "value" -> 1;
            default -> throw new PyError("FilterArgumentError", "You can only sort by either \"key\" or \"value\"");
        };
        List<Object> pairs = new ArrayList<>();
        requireMap(v).forEach((k, x) -> pairs.add(new PyTuple(java.util.Arrays.asList(k, x))));
        pairs.sort(Comparator.comparing(p -> sortKey(((PyTuple) p).items().get(index), caseSensitive),
                (x, y) -> Py.compare(x, y, "<")));
        if (Py.truthy(a.get(2, "reverse", false))) {
            java.util.Collections.reverse(pairs);
        }
        return pairs;
    }

    private static List<Object> batch(Object v, Args a) {
        long size = Args.integer(a.get(0, "linecount", Args.REQUIRED), "batch");
        Object fill = a.get(1, "fill_with", null);
        List<Object> out = new ArrayList<>();
        List<Object> current = new ArrayList<>();
        for (Object item : Py.iterate(v)) {
            current.add(item);
            if (current.size() == size) {
                out.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            while (fill != null && current.size() < size) {
                current.add(fill);
            }
            out.add(current);
        }
        return out;
    }
}
