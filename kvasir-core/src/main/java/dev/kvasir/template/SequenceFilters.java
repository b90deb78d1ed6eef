package dev.kvasir.template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
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
            case "first" -> { // next(iter(seq)): takes one item of an iterator
                Iterator<Object> items = Py.iter(v);
                yield items.hasNext() ? items.next() : new Undefined("UndefinedError", "No first item, sequence was empty.");
            }
            case "last" -> { // next(iter(reversed(seq))): iterators and None are not reversible
                if (v == null || v instanceof PyIterator || Py.isNumber(v)) {
                    throw PyError.type("'" + Py.typeName(v) + "' object is not reversible");
                }
                List<Object> items = Py.iterate(v);
                yield items.isEmpty() ? new Undefined("UndefinedError", "No last item, sequence was empty.")
                        : items.getLast();
            }
            case "join" -> join(v, a);
            // Jinja2's generator filters: nothing runs (not even `if value:`) until the result is iterated
            case "map" -> PyIterator.generator("sync_do_map", () -> map(v, a, positional));
            case "select", "reject" -> PyIterator.generator("select_or_reject",
                    () -> select(v, positional, name.equals("select"), null));
            case "selectattr", "rejectattr" -> PyIterator.generator("select_or_reject", () -> {
                if (!Py.truthy(v)) {
                    return Collections.emptyIterator();
                }
                if (positional.isEmpty()) {
                    throw PyError.type(name + "() needs an attribute name");
                }
                return select(v, positional.subList(1, positional.size()), name.equals("selectattr"),
                        PyFormat.str(positional.getFirst()));
            });
            case "items" -> PyIterator.generator("do_items", () -> {
                List<Object> pairs = new ArrayList<>();
                if (!(v instanceof Undefined)) {
                    if (!(v instanceof Map<?, ?> m)) {
                        throw PyError.type("Can only get item pairs from a mapping.");
                    }
                    m.forEach((k, x) -> pairs.add(new PyTuple(java.util.Arrays.asList(k, x))));
                }
                return pairs.iterator();
            });
            case "reverse" -> reverse(v);
            case "sort" -> sort(v, a);
            case "unique" -> PyIterator.generator("sync_do_unique", () -> unique(v, a));
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
            case "batch" -> PyIterator.generator("do_batch", () -> batch(v, a).iterator());
            default -> throw new PyError("TemplateAssertionError", "no filter named '" + name + "'");
        };
    }

    /** do_reverse: a string reversed, else reversed(value), else a reversed list of an iterator. */
    private static Object reverse(Object v) {
        List<Object> items;
        String type;
        switch (v) {
            case String s -> {
                return PyStrings.fromChars(reversedCopy(PyStrings.chars(s)));
            }
            case PyIterator it -> {
                return reversedCopy(it.drain());
            }
            case List<?> l -> {
                items = new ArrayList<>(l);
                type = "list_reverseiterator";
            }
            case Map<?, ?> m -> {
                items = new ArrayList<>(m.keySet());
                type = "dict_reversekeyiterator";
            }
            case PyTuple t -> {
                items = t.items();
                type = "reversed";
            }
            case Undefined u -> {
                items = List.of();
                type = "reversed";
            }
            case null, default -> throw new PyError("FilterArgumentError", "argument must be iterable");
        }
        return PyIterator.builtin(type, reversedCopy(items));
    }

    private static List<Object> reversedCopy(List<Object> items) {
        List<Object> out = new ArrayList<>(items);
        Collections.reverse(out);
        return out;
    }

    /** dictsort calls value.items(): AttributeError for anything but a mapping (UndefinedError for undefined). */
    private static Map<?, ?> requireMap(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        if (v instanceof Undefined u) {
            throw u.error();
        }
        throw new PyError("AttributeError", "'" + Py.typeName(v) + "' object has no attribute 'items'");
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

    /** sync_do_map: {@code if value:} first, so none or undefined map to nothing; items are mapped as they are taken. */
    private static Iterator<Object> map(Object v, Args a, List<Object> positional) {
        if (!Py.truthy(v)) {
            return Collections.emptyIterator();
        }
        Object attribute = a.get(-1, "attribute", null);
        if (attribute != null) {
            Object fallback = a.get(-1, "default", Scope.MISSING);
            return PyIterator.mapped(Py.iter(v), item -> {
                Object value = attribute(item, attribute);
                return value instanceof Undefined && fallback != Scope.MISSING ? fallback : value;
            });
        }
        if (positional.isEmpty()) {
            throw new PyError("FilterArgumentError", "map requires a filter argument");
        }
        String filter = PyFormat.str(positional.getFirst());
        return PyIterator.mapped(Py.iter(v),
                item -> Filters.apply(filter, item, positional.subList(1, positional.size()), Map.of()));
    }

    /** select_or_reject: {@code if value:} first, then each item tested as it is reached. */
    private static Iterator<Object> select(Object v, List<Object> testArgs, boolean keep, String attribute) {
        if (!Py.truthy(v)) {
            return Collections.emptyIterator();
        }
        return PyIterator.filtered(Py.iter(v), item -> {
            Object subject = attribute == null ? item : attribute(item, attribute);
            boolean passed = testArgs.isEmpty() ? Py.truthy(subject)
                    : Tests.apply(PyFormat.str(testArgs.getFirst()), subject, testArgs.subList(1, testArgs.size()));
            return passed == keep;
        });
    }

    /**
     * do_sort keys each item by a list of its attributes (make_multi_attrgetter: "a,b"), and lists
     * compare their items for equality first: items whose attribute is undefined compare equal there
     * and keep their order, where min/max (one attribute, no list) raise.
     */
    private static List<Object> sort(Object v, Args a) {
        Object attribute = a.get(2, "attribute", null);
        boolean caseSensitive = Py.truthy(a.get(1, "case_sensitive", false));
        List<Object> parts = attribute instanceof String p ? List.of((Object[]) p.split(",")) : java.util.Arrays.asList(attribute);
        List<Object> items = new ArrayList<>(Py.iterate(v));
        boolean reverse = Py.truthy(a.get(0, "reverse", false));
        // reverse=True as Python does it: a reversed comparison, so equal items keep their order
        items.sort(Comparator.comparing(item -> {
            List<Object> key = new ArrayList<>();
            for (Object part : parts) {
                key.add(sortKey(part == null ? item : attribute(item, part), caseSensitive));
            }
            return (Object) key;
        }, (x, y) -> reverse ? Py.compare(y, x, "<") : Py.compare(x, y, "<")));
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

    /** sync_do_unique: the first item of each key, yielded as reached; keys go into a set, so they must be hashable. */
    private static Iterator<Object> unique(Object v, Args a) {
        boolean caseSensitive = Py.truthy(a.get(0, "case_sensitive", false));
        Object attribute = a.get(1, "attribute", null);
        List<Object> seen = new ArrayList<>();
        return PyIterator.filtered(Py.iter(v), item -> {
            Object key = sortKey(attribute == null ? item : attribute(item, attribute), caseSensitive);
            if (key instanceof List || key instanceof Map) {
                throw PyError.type("unhashable type: '" + Py.typeName(key) + "'");
            }
            if (seen.stream().noneMatch(s -> Py.eq(s, key))) {
                seen.add(key);
                return true;
            }
            return false;
        });
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
