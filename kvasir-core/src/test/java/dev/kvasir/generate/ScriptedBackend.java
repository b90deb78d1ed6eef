package dev.kvasir.generate;

import dev.kvasir.cache.KvCache;
import dev.kvasir.cache.KvLayout;
import dev.kvasir.tokenizer.TokenDecoder;
import dev.kvasir.tokenizer.Tokenizer;
import dev.kvasir.tokenizer.Vocabulary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake model whose k-th forward pass makes {@code script[k]} the only likely token, with a vocabulary
 * of given byte pieces; it records what it was fed so tests can check what reached the cache.
 */
final class ScriptedBackend implements GenerationBackend {
    static final int EOG = 0;

    private final byte[][] pieces;
    private final int[] script;
    private final int contextLength;
    final List<Integer> fed = new ArrayList<>();
    private int calls;

    ScriptedBackend(byte[][] pieces, int[] script, int contextLength) {
        this.pieces = pieces;
        this.script = script;
        this.contextLength = contextLength;
    }

    /** Vocabulary: token 0 is EOG, token i > 0 has piece {@code texts[i - 1]}; the script names tokens. */
    static ScriptedBackend of(String[] texts, int[] script) {
        byte[][] pieces = new byte[texts.length + 1][];
        pieces[0] = new byte[0];
        for (int i = 0; i < texts.length; i++) {
            pieces[i + 1] = texts[i].getBytes(StandardCharsets.UTF_8);
        }
        return new ScriptedBackend(pieces, script, 1000);
    }

    ScriptedBackend withContextLength(int n) {
        return new ScriptedBackend(pieces, script, n);
    }

    ScriptedBackend withPieces(byte[][] p) {
        return new ScriptedBackend(p, script, contextLength);
    }

    @Override
    public float[] forward(int[] tokens, int from, int n, KvCache cache) {
        for (int i = from; i < from + n; i++) {
            fed.add(tokens[i]);
        }
        cache.commit(n);
        float[] logits = new float[pieces.length];
        logits[script[calls++]] = 10f;
        return logits;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public boolean isEndOfGeneration(int token) {
        return token == EOG;
    }

    @Override
    public TokenDecoder newDecoder() {
        return new TokenDecoder(new PieceTokenizer(), false);
    }

    private final class PieceTokenizer implements Tokenizer {
        @Override
        public Vocabulary vocabulary() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] pieceBytes(int token, boolean renderSpecial) {
            return pieces[token];
        }
    }

    /** A cache that only counts positions. */
    static final class CountingCache implements KvCache {
        private int size;

        @Override
        public KvLayout layout() {
            return new KvLayout(1, 1, 1);
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void append(int layer, float[] k, float[] v, int n) {}

        @Override
        public void attend(int layer, float[] q, int n, int heads, float[] out) {}

        @Override
        public void commit(int n) {
            size += n;
        }

        @Override
        public boolean canTrim(int n) {
            return n <= size;
        }

        @Override
        public int trim(int n) {
            size -= n;
            return n;
        }

        @Override
        public long bytes() {
            return 0;
        }

        @Override
        public KvCache copy() {
            CountingCache c = new CountingCache();
            c.size = size;
            return c;
        }
    }
}
