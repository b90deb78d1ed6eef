package dev.kvasir.constrain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles a {@link Grammar}. Pieces are element sequences ({@code int[]}); combinators that need a choice
 * or a loop create an anonymous rule and return a one-element reference to it. Loops are right-recursive
 * ({@code R ::= x R | ε}), which the matcher runs without growing its stack.
 */
final class GrammarBuilder {
    static final int[] EMPTY = new int[0];

    private final List<int[][]> rules = new ArrayList<>();
    private final List<long[]> classes = new ArrayList<>();
    private final Map<String, Integer> classIds = new HashMap<>();

    /** A new rule, to be {@link #define defined} (it may be referenced before that: recursion). */
    int rule() {
        rules.add(null);
        return rules.size() - 1;
    }

    void define(int rule, int[]... alternatives) {
        rules.set(rule, alternatives.clone());
    }

    static int[] ref(int rule) {
        return new int[] {rule};
    }

    /** One byte out of {@code bits} (256 bits). */
    int[] cls(long[] bits) {
        String key = Arrays.toString(bits);
        Integer id = classIds.get(key);
        if (id == null) {
            id = classes.size();
            classes.add(bits.clone());
            classIds.put(key, id);
        }
        return new int[] {-id - 1};
    }

    /** One byte in {@code [lo, hi]}. */
    int[] range(int lo, int hi) {
        return cls(Bytes.range(new long[4], lo, hi));
    }

    int[] bytes(byte[] text) {
        int[] out = new int[text.length];
        for (int i = 0; i < text.length; i++) {
            int b = text[i] & 0xFF;
            out[i] = range(b, b)[0];
        }
        return out;
    }

    int[] lit(String text) {
        return bytes(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static int[] seq(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    int[] alt(int[]... options) {
        if (options.length == 1) {
            return options[0];
        }
        int r = rule();
        define(r, options);
        return ref(r);
    }

    int[] opt(int[] x) {
        return alt(x, EMPTY);
    }

    int[] star(int[] x) {
        int r = rule();
        define(r, seq(x, ref(r)), EMPTY);
        return ref(r);
    }

    /** {@code min..max} copies of {@code x} ({@code max < 0}: unbounded). */
    int[] repeat(int[] x, int min, int max) {
        int[][] prefix = new int[min][];
        Arrays.fill(prefix, x);
        if (max < 0) {
            return seq(seq(prefix), star(x));
        }
        int[] tail = EMPTY;
        for (int i = 0; i < max - min; i++) {
            tail = opt(seq(x, tail));
        }
        return seq(seq(prefix), tail);
    }

    /** {@code min..max} copies of {@code x} separated by {@code sep}. */
    int[] list(int[] x, int[] sep, int min, int max) {
        if (max == 0) {
            return EMPTY;
        }
        int[] more = repeat(seq(sep, x), Math.max(0, min - 1), max < 0 ? -1 : max - 1);
        int[] some = seq(x, more);
        return min == 0 ? opt(some) : some;
    }

    /** Copies {@code g}'s rules in; returns a reference to its root. */
    int[] embed(Grammar g) {
        int ruleBase = rules.size();
        int[] classMap = new int[g.classes.length];
        for (int c = 0; c < g.classes.length; c++) {
            classMap[c] = cls(g.classes[c])[0];
        }
        for (int[][] alts : g.rules) {
            int[][] copy = new int[alts.length][];
            for (int a = 0; a < alts.length; a++) {
                copy[a] = new int[alts[a].length];
                for (int i = 0; i < alts[a].length; i++) {
                    int e = alts[a][i];
                    copy[a][i] = e >= 0 ? e + ruleBase : classMap[-e - 1];
                }
            }
            rules.add(copy);
        }
        return ref(g.root + ruleBase);
    }

    Grammar build(int[] root) {
        int r = rule();
        define(r, root);
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i) == null) {
                throw new IllegalStateException("grammar rule " + i + " was referenced but never defined");
            }
        }
        return new Grammar(rules.toArray(new int[0][][]), classes.toArray(new long[0][]), r);
    }
}
