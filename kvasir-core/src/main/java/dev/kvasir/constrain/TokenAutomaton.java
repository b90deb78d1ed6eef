package dev.kvasir.constrain;

import dev.kvasir.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Grammar} run over one vocabulary's tokens: the pushdown automaton of llama-grammar.cpp (sets of
 * rule stacks advanced byte by byte), with every stack set interned as a {@link State}, its byte
 * transitions memoized and its token mask (which tokens keep the output inside the grammar) computed
 * once by walking the {@link PieceTrie}. Output states repeat (every character inside a JSON string
 * leads back to the same state), so after warm-up a token costs a few array lookups plus applying the
 * mask. Thread-safe: one automaton serves every request using the grammar; {@link #newMatcher} gives
 * each sequence its own position.
 */
public final class TokenAutomaton {
    private static final int MAX_EXPANSION = 100_000;

    private final Grammar grammar;
    private final PieceTrie trie;
    private final int[] endOfGeneration;
    private final Map<List<Object>, Frame> frames = new HashMap<>();
    private final Map<List<Integer>, State> states = new HashMap<>();
    private final State dead = new State(new Frame[0], false, -1);
    private final State start;

    TokenAutomaton(Grammar grammar, PieceTrie trie, int[] endOfGeneration) {
        this.grammar = grammar;
        this.trie = trie;
        this.endOfGeneration = endOfGeneration.clone();
        synchronized (this) {
            Expansion x = new Expansion();
            for (int a = 0; a < grammar.rules[grammar.root].length; a++) {
                x.expand(frame(grammar.root, a, 0, null));
            }
            this.start = x.state();
        }
    }

    /** An automaton for {@code grammar} over {@code tokenizer}'s vocabulary (builds its trie: prefer {@link Constraints}). */
    public static TokenAutomaton of(Grammar grammar, Tokenizer tokenizer) {
        return new TokenAutomaton(grammar, PieceTrie.of(tokenizer), tokenizer.vocabulary().endOfGenerationIds());
    }

    /** A matcher at the grammar's start. */
    public GrammarMatcher newMatcher() {
        return new GrammarMatcher(this, start);
    }

    int[] endOfGeneration() {
        return endOfGeneration;
    }

    byte[] piece(int token) {
        return token >= 0 && token < trie.vocabSize ? trie.pieces[token] : new byte[0];
    }

    int vocabSize() {
        return trie.vocabSize;
    }

    /** How many distinct states were met so far (diagnostics). */
    public synchronized int stateCount() {
        return states.size();
    }

    State dead() {
        return dead;
    }

    /** The state after output byte {@code b}, or {@link #dead}. */
    State next(State s, int b) {
        State n = s.next[b];
        return n != null ? n : slowNext(s, b);
    }

    private synchronized State slowNext(State s, int b) {
        State n = s.next[b];
        if (n != null) {
            return n;
        }
        Expansion x = new Expansion();
        for (Frame f : s.frames) {
            int e = grammar.rules[f.rule][f.alt][f.pos];
            if (Bytes.contains(grammar.classes[-e - 1], b)) {
                x.expand(frame(f.rule, f.alt, f.pos + 1, f.parent));
            }
        }
        n = x.state();
        s.next[b] = n;
        return n;
    }

    /** The tokens allowed in {@code s} (end-of-generation tokens not included), one bit per token id. */
    long[] mask(State s) {
        long[] m = s.mask;
        return m != null ? m : slowMask(s);
    }

    private synchronized long[] slowMask(State s) {
        if (s.mask == null) {
            long[] bits = new long[(trie.vocabSize + 63) >>> 6];
            if (s != dead) {
                walk(0, s, bits);
            }
            s.mask = bits;
        }
        return s.mask;
    }

    private void walk(int node, State s, long[] bits) {
        for (int child = trie.firstChild[node]; child >= 0; child = trie.nextSibling[child]) {
            State n = s.next[trie.label[child]];
            if (n == null) {
                n = slowNext(s, trie.label[child]);
            }
            if (n == dead) {
                continue;
            }
            for (int t = trie.firstToken[child]; t >= 0; t = trie.nextToken[t]) {
                bits[t >>> 6] |= 1L << (t & 63);
            }
            walk(child, n, bits);
        }
    }

    private Frame frame(int rule, int alt, int pos, Frame parent) {
        List<Object> key = List.of(rule, alt, pos, parent == null ? -1 : parent.id);
        Frame f = frames.get(key);
        if (f == null) {
            f = new Frame(rule, alt, pos, parent, frames.size());
            frames.put(key, f);
        }
        return f;
    }

    /** One grammar position: element {@code pos} of alternative {@code alt} of {@code rule}, returning to {@code parent}. */
    record Frame(int rule, int alt, int pos, Frame parent, int id) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return id;
        }
    }

    /** An interned set of stacks whose tops are byte classes, plus whether the empty stack (accept) is in it. */
    static final class State {
        final Frame[] frames;
        final boolean accepting;
        final int id;
        final State[] next = new State[256];
        volatile long[] mask;

        State(Frame[] frames, boolean accepting, int id) {
            this.frames = frames;
            this.accepting = accepting;
            this.id = id;
        }
    }

    /** llama_grammar_advance_stack: expands frames until each stack's top is a byte class (or the stack is empty). */
    private final class Expansion {
        private final Set<Frame> seen = new HashSet<>();
        private final List<Frame> tops = new ArrayList<>();
        private boolean accepting;

        void expand(Frame f) {
            if (f == null) {
                accepting = true;
                return;
            }
            if (!seen.add(f)) {
                return; // an ε-cycle or a stack already expanded: it adds nothing new
            }
            if (seen.size() > MAX_EXPANSION) {
                throw new IllegalStateException("grammar expansion exceeded " + MAX_EXPANSION + " stacks (left recursion?)");
            }
            int[] alt = grammar.rules[f.rule][f.alt];
            if (f.pos == alt.length) {
                expand(f.parent);
                return;
            }
            int e = alt[f.pos];
            if (e < 0) {
                tops.add(f);
                return;
            }
            // a reference in last position returns straight to the parent: right recursion keeps the stack flat
            Frame cont = f.pos + 1 == alt.length ? f.parent : frame(f.rule, f.alt, f.pos + 1, f.parent);
            for (int a = 0; a < grammar.rules[e].length; a++) {
                expand(frame(e, a, 0, cont));
            }
        }

        State state() {
            if (tops.isEmpty() && !accepting) {
                return dead;
            }
            Frame[] sorted = tops.toArray(new Frame[0]);
            Arrays.sort(sorted, (x, y) -> Integer.compare(x.id, y.id));
            Integer[] key = new Integer[sorted.length + 1];
            key[0] = accepting ? 1 : 0;
            for (int i = 0; i < sorted.length; i++) {
                key[i + 1] = sorted[i].id;
            }
            List<Integer> k = List.of(key);
            State s = states.get(k);
            if (s == null) {
                s = new State(sorted, accepting, states.size());
                states.put(k, s);
            }
            return s;
        }
    }
}
