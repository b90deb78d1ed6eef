package dev.kvasir.template;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * A one-pass Python iterator: the generators Jinja2's map, select, reject, selectattr, rejectattr,
 * unique, items and batch filters return, and the reverse iterators of {@code reverse}. As in Python
 * it is lazy (its body runs on the first {@code next}, one item at a time), consumed once (a second
 * loop over it sees nothing), has no len(), is not JSON serializable, and prints as its repr
 * ({@code <generator object sync_do_map at 0x...>}).
 */
final class PyIterator implements Iterator<Object> {
    private final String typeName;
    private final String repr;
    private Supplier<Iterator<Object>> body;
    private Iterator<Object> items;

    private PyIterator(String typeName, String reprName, Supplier<Iterator<Object>> body) {
        this.typeName = typeName;
        this.repr = "<" + reprName + " at 0x" + Long.toHexString(0x7f0000000000L + System.identityHashCode(this)) + ">";
        this.body = body;
    }

    /** A generator whose body, the Python function {@code function}, runs when it is first advanced. */
    static PyIterator generator(String function, Supplier<Iterator<Object>> body) {
        return new PyIterator("generator", "generator object " + function, body);
    }

    /** A builtin iterator type such as {@code list_reverseiterator} over {@code items}. */
    static PyIterator builtin(String type, List<Object> items) {
        return new PyIterator(type, type + " object", items::iterator);
    }

    String typeName() {
        return typeName;
    }

    String repr() {
        return repr;
    }

    private Iterator<Object> items() {
        if (items == null) {
            Supplier<Iterator<Object>> b = body;
            body = null;
            items = b.get();
        }
        return items;
    }

    @Override
    public boolean hasNext() {
        return items().hasNext();
    }

    @Override
    public Object next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return items().next();
    }

    /** The items not consumed yet (consuming them), as list(it) does. */
    List<Object> drain() {
        List<Object> out = new ArrayList<>();
        forEachRemaining(out::add);
        return out;
    }

    /** An iterator mapping each item of {@code source} when it is asked for. */
    static Iterator<Object> mapped(Iterator<Object> source, java.util.function.UnaryOperator<Object> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public Object next() {
                return f.apply(source.next());
            }
        };
    }

    /** An iterator over the items of {@code source} that pass {@code keep}, tested as they are reached. */
    static Iterator<Object> filtered(Iterator<Object> source, java.util.function.Predicate<Object> keep) {
        return new Iterator<>() {
            private Object next;
            private boolean ready;

            @Override
            public boolean hasNext() {
                while (!ready && source.hasNext()) {
                    Object x = source.next();
                    if (keep.test(x)) {
                        next = x;
                        ready = true;
                    }
                }
                return ready;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                return next;
            }
        };
    }
}
