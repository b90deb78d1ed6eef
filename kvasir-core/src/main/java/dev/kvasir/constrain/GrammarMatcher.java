package dev.kvasir.constrain;

/**
 * Where one generated sequence is in its grammar. Before each sample, {@link #mask} sets the logit of
 * every token that would leave the grammar to -inf (end-of-generation tokens only once the output is
 * complete); after it, {@link #accept} moves on by the chosen token. Works with any sampler (greedy,
 * temperature, top-k/top-p/min-p) since it only removes candidates. Not thread-safe; {@link #copy} forks it.
 */
public final class GrammarMatcher {
    private final TokenAutomaton automaton;
    private TokenAutomaton.State state;

    GrammarMatcher(TokenAutomaton automaton, TokenAutomaton.State state) {
        this.automaton = automaton;
        this.state = state;
    }

    /** Masks {@code logits} in place. Throws when the grammar leaves no token and is not complete (a dead end). */
    public void mask(float[] logits) {
        long[] bits = automaton.mask(state);
        int vocab = Math.min(logits.length, automaton.vocabSize());
        int[] eog = automaton.endOfGeneration();
        float[] eogLogits = new float[eog.length];
        for (int i = 0; i < eog.length; i++) {
            eogLogits[i] = eog[i] < logits.length ? logits[eog[i]] : Float.NEGATIVE_INFINITY;
        }
        boolean any = false;
        for (int w = 0; w < bits.length; w++) {
            long word = bits[w];
            int base = w << 6;
            int end = Math.min(64, vocab - base);
            if (word == -1L && end == 64) {
                any = true;
                continue;
            }
            any |= word != 0;
            for (int i = 0; i < end; i++) {
                if ((word & (1L << i)) == 0) {
                    logits[base + i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        for (int i = vocab; i < logits.length; i++) {
            logits[i] = Float.NEGATIVE_INFINITY;
        }
        if (state.accepting) {
            for (int i = 0; i < eog.length; i++) { // end-of-generation tokens are not in the trie: allowed here
                if (eog[i] < logits.length) {
                    logits[eog[i]] = eogLogits[i];
                }
            }
        } else if (!any) {
            throw new IllegalStateException("the grammar allows no token here and the output is incomplete");
        }
    }

    /** Whether {@code token} is allowed next. */
    public boolean allows(int token) {
        if (isEndOfGeneration(token)) {
            return state.accepting;
        }
        long[] bits = automaton.mask(state);
        return token >= 0 && token < automaton.vocabSize() && (bits[token >>> 6] & (1L << (token & 63))) != 0;
    }

    /** Advances by {@code token}; an end-of-generation token is accepted only when the output is complete. */
    public void accept(int token) {
        if (!allows(token)) {
            throw new IllegalArgumentException("token " + token + " is not allowed by the grammar here");
        }
        if (!isEndOfGeneration(token)) {
            acceptBytes(automaton.piece(token));
        }
    }

    /** Advances by output bytes (a token's piece); returns false (and stays put) when they leave the grammar. */
    public boolean acceptBytes(byte[] piece) {
        TokenAutomaton.State s = state;
        for (byte b : piece) {
            s = automaton.next(s, b & 0xFF);
            if (s == automaton.dead()) {
                return false;
            }
        }
        state = s;
        return true;
    }

    /** The output so far is a complete sentence of the grammar (it may still continue). */
    public boolean isComplete() {
        return state.accepting;
    }

    /** A matcher at the same position that moves independently (for {@code n > 1} choices). */
    public GrammarMatcher copy() {
        return new GrammarMatcher(automaton, state);
    }

    private boolean isEndOfGeneration(int token) {
        for (int t : automaton.endOfGeneration()) {
            if (t == token) {
                return true;
            }
        }
        return false;
    }
}
