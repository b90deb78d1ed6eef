package dev.kvasir.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Streaming detokenizer: feed generated ids one at a time and get the text they complete. Bytes of a
 * UTF-8 character split across tokens (byte-fallback tokens such as &lt;0xF0&gt;) are held back until the
 * character is complete, so a consumer never prints half an emoji. Not thread-safe.
 */
public final class TokenDecoder {
    private final Tokenizer tokenizer;
    private final boolean renderSpecial;
    private byte[] pending = new byte[0];

    public TokenDecoder(Tokenizer tokenizer, boolean renderSpecial) {
        this.tokenizer = tokenizer;
        this.renderSpecial = renderSpecial;
    }

    /** Adds one token's piece; returns the text now complete (possibly empty). */
    public String accept(int token) {
        return acceptBytes(tokenizer.pieceBytes(token, renderSpecial));
    }

    /** Adds raw piece bytes; returns the text now complete (possibly empty). */
    public String acceptBytes(byte[] piece) {
        byte[] all = Arrays.copyOf(pending, pending.length + piece.length);
        System.arraycopy(piece, 0, all, pending.length, piece.length);
        int complete = completePrefix(all);
        pending = Arrays.copyOfRange(all, complete, all.length);
        return new String(all, 0, complete, StandardCharsets.UTF_8);
    }

    /** Whether bytes of an unfinished character are held back. */
    public boolean hasPending() {
        return pending.length > 0;
    }

    /** Ends the stream: returns held-back bytes, an unfinished character becoming U+FFFD. */
    public String flush() {
        String rest = new String(pending, StandardCharsets.UTF_8);
        pending = new byte[0];
        return rest;
    }

    /**
     * Length of the longest prefix that does not end inside an unfinished UTF-8 sequence. Malformed bytes
     * are not held (they could never complete): the string decoder turns them into U+FFFD.
     */
    static int completePrefix(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(4, n); back++) {
            int lead = b[n - back] & 0xFF;
            if ((lead & 0xC0) == 0x80) {
                continue; // continuation byte: keep looking for the lead byte
            }
            int need = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                    : lead >= 0xF0 && lead <= 0xF4 ? 4 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }

    @Override
    public String toString() {
        return "TokenDecoder[pending=" + pending.length + " bytes]";
    }
}
