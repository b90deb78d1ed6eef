package dev.kvasir.tokenizer;

import java.util.Arrays;

/**
 * SentencePiece (BPE-by-score) tokenizer exactly as llama.cpp's llm_tokenizer_spm: spaces escaped as
 * U+2581, a space prefixed to text that follows the start or a special token, greedy merging of the
 * adjacent pair whose merged text is the highest-scoring token, byte fallback to &lt;0xXX&gt; tokens.
 */
public final class SpmTokenizer implements Tokenizer {
    static final char SPACE_MARK = '\u2581';

    private final Vocabulary vocab;
    private final int[] byteTokens;
    private final byte[][] pieces;

    public SpmTokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        this.byteTokens = byteTokens(vocab);
        this.pieces = new byte[vocab.size()][];
        for (int id = 0; id < pieces.length; id++) {
            pieces[id] = renderPiece(id);
        }
    }

    @Override
    public Vocabulary vocabulary() {
        return vocab;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList();
        if (addSpecial && vocab.addBos()) {
            out.add(vocab.bos());
        }
        boolean afterSpecial = true; // the first text fragment gets the space prefix too
        for (Fragment fragment : SpecialTokenSplitter.split(vocab, text, parseSpecial)) {
            switch (fragment) {
                case Fragment.Text(String raw) -> {
                    String prefixed = vocab.addSpacePrefix() && afterSpecial ? " " + raw : raw;
                    new SpmSession(vocab, byteTokens, prefixed.replace(' ', SPACE_MARK)).tokenize(out);
                    afterSpecial = false;
                }
                case Fragment.Special(int id) -> {
                    out.add(id);
                    afterSpecial = true;
                }
            }
        }
        if (addSpecial && vocab.addEos()) {
            out.add(vocab.eos());
        }
        return out.toArray();
    }

    @Override
    public byte[] pieceBytes(int token, boolean renderSpecial) {
        if (!renderSpecial && (vocab.attributes(token) & (TokenAttr.CONTROL | TokenAttr.UNKNOWN)) != 0) {
            return new byte[0];
        }
        return pieces[token].clone();
    }

    /** llama_token_to_piece with special=true; the special=false case is filtered in pieceBytes. */
    private byte[] renderPiece(int id) {
        int attributes = vocab.attributes(id);
        String text = vocab.token(id);
        if ((attributes & (TokenAttr.CONTROL | TokenAttr.UNKNOWN | TokenAttr.USER_DEFINED)) != 0) {
            return Utf8.bytes(text);
        }
        if ((attributes & TokenAttr.NORMAL) != 0) {
            return Utf8.bytes(text.replace(SPACE_MARK, ' '));
        }
        if ((attributes & TokenAttr.BYTE) != 0) {
            return new byte[] {(byte) byteValue(text)};
        }
        return new byte[0]; // UNUSED / UNDEFINED tokens print nothing, as in llama.cpp
    }

    /** The byte of a "&lt;0xXX&gt;" token (llama.cpp parses characters 3..4 as hex with strtol). */
    private static int byteValue(String text) {
        int value = 0;
        for (int i = 3; i < Math.min(5, text.length()); i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                break;
            }
            value = value * 16 + digit;
        }
        return value;
    }

    /**
     * llama.cpp's byte_to_token for each byte: "&lt;0xXX&gt;", else the one-character token for ASCII,
     * else the unknown token (llama.cpp would abort; SentencePiece emits UNK), else NONE.
     */
    private static int[] byteTokens(Vocabulary vocab) {
        int[] ids = new int[256];
        Arrays.fill(ids, Vocabulary.NONE);
        for (int b = 0; b < 256; b++) {
            int id = vocab.id(String.format("<0x%02X>", b));
            if (id == Vocabulary.NONE && b < 0x80) {
                id = vocab.id(String.valueOf((char) b));
            }
            ids[b] = id == Vocabulary.NONE ? vocab.unk() : id;
        }
        return ids;
    }

    @Override
    public String toString() {
        return "SpmTokenizer[" + vocab + "]";
    }
}
