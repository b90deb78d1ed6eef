package dev.kvasir.constrain;

import dev.kvasir.tokenizer.Tokenizer;
import dev.kvasir.tokenizer.Vocabulary;
import java.util.Arrays;

/**
 * The vocabulary's output bytes as a trie: tokens sharing a prefix share its nodes, so a grammar state's
 * mask walks each common prefix once (llama.cpp checks every token separately). Tokens that output no
 * bytes (control, unknown, unused) and end-of-generation tokens are left out: the matcher handles those.
 */
final class PieceTrie {
    /** Node n's first child, next sibling, and the byte leading to it; node 0 is the root. */
    final int[] firstChild;
    final int[] nextSibling;
    final int[] label;
    /** The first token ending at node n (-1 none) and, per token, the next one with the same bytes. */
    final int[] firstToken;
    final int[] nextToken;
    final int vocabSize;
    /** Each token's output bytes (empty for the tokens left out). */
    final byte[][] pieces;

    private PieceTrie(int[] firstChild, int[] nextSibling, int[] label, int[] firstToken, int[] nextToken,
                      byte[][] pieces) {
        this.firstChild = firstChild;
        this.nextSibling = nextSibling;
        this.label = label;
        this.firstToken = firstToken;
        this.nextToken = nextToken;
        this.pieces = pieces;
        this.vocabSize = pieces.length;
    }

    static PieceTrie of(Tokenizer tokenizer) {
        Vocabulary v = tokenizer.vocabulary();
        int n = v.size();
        int cap = 1024;
        int[] first = new int[cap];
        int[] next = new int[cap];
        int[] lab = new int[cap];
        int[] tok = new int[cap];
        Arrays.fill(first, -1);
        Arrays.fill(tok, -1);
        int nodes = 1;
        byte[][] pieces = new byte[n][];
        Arrays.fill(pieces, new byte[0]);
        int[] nextToken = new int[n];
        Arrays.fill(nextToken, -1);
        for (int id = 0; id < n; id++) {
            if (v.isEndOfGeneration(id) || v.isControl(id) || v.isUnknown(id) || v.isUnused(id)) {
                continue;
            }
            byte[] piece = tokenizer.pieceBytes(id, false);
            if (piece.length == 0) {
                continue;
            }
            pieces[id] = piece;
            int node = 0;
            for (byte value : piece) {
                int b = value & 0xFF;
                int child = first[node];
                while (child >= 0 && lab[child] != b) {
                    child = next[child];
                }
                if (child < 0) {
                    if (nodes == first.length) {
                        cap *= 2;
                        first = grow(first, cap);
                        next = Arrays.copyOf(next, cap);
                        lab = Arrays.copyOf(lab, cap);
                        tok = grow(tok, cap);
                    }
                    child = nodes++;
                    lab[child] = b;
                    next[child] = first[node];
                    first[node] = child;
                }
                node = child;
            }
            nextToken[id] = tok[node];
            tok[node] = id;
        }
        return new PieceTrie(Arrays.copyOf(first, nodes), Arrays.copyOf(next, nodes), Arrays.copyOf(lab, nodes),
                Arrays.copyOf(tok, nodes), nextToken, pieces);
    }

    private static int[] grow(int[] a, int cap) {
        int old = a.length;
        int[] out = Arrays.copyOf(a, cap);
        Arrays.fill(out, old, cap, -1);
        return out;
    }

    int nodeCount() {
        return label.length;
    }
}
