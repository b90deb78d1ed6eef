package dev.kvasir.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * The byte-level BPE tokenizer ({@code tokenizer.ggml.model = gpt2}) with llama.cpp's semantics: special
 * tokens are parsed out of the text first, the rest is cut into words by the vocabulary's
 * {@link PreTokenizer}, each word is turned into GPT-2 byte characters and merged by rank.
 */
public final class BpeTokenizer implements Tokenizer {
    private static final byte[] NOTHING = new byte[0];

    private final Vocabulary vocabulary;
    private final PreTokenizer preTokenizer;
    private final BpeMerges merges;

    public BpeTokenizer(Vocabulary vocabulary) {
        if (!vocabulary.isBpe()) {
            throw new TokenizerException("tokenizer model '" + vocabulary.model() + "' is not byte-level BPE ('"
                    + Vocabulary.MODEL_BPE + "')");
        }
        this.vocabulary = vocabulary;
        this.preTokenizer = PreTokenizer.forName(vocabulary.pre());
        this.merges = new BpeMerges(vocabulary.merges());
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public PreTokenizer preTokenizer() {
        return preTokenizer;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList();
        if (addSpecial && vocabulary.addBos()) {
            out.add(vocabulary.bos());
        }
        for (Fragment fragment : SpecialTokenSplitter.split(vocabulary, text, parseSpecial)) {
            switch (fragment) {
                case Fragment.Special(int id) -> out.add(id);
                case Fragment.Text(String raw) -> encodeText(raw, out);
            }
        }
        if (addSpecial && vocabulary.addEos()) {
            out.add(vocabulary.eos());
        }
        return out.toArray();
    }

    private void encodeText(String text, IntList out) {
        for (String word : preTokenizer.split(text)) {
            String encoded = ByteLevel.encode(word);
            int whole = preTokenizer.ignoreMerges() ? vocabulary.id(encoded) : Vocabulary.NONE;
            if (whole != Vocabulary.NONE) {
                out.add(whole);
                continue;
            }
            for (String symbol : merges.apply(encoded)) {
                addSymbol(symbol, out);
            }
        }
    }

    /** A symbol without a token falls back to its single byte characters; bytes without one are dropped. */
    private void addSymbol(String symbol, IntList out) {
        int id = vocabulary.id(symbol);
        if (id != Vocabulary.NONE) {
            out.add(id);
            return;
        }
        for (int i = 0; i < symbol.length(); i++) {
            int byteId = vocabulary.id(String.valueOf(symbol.charAt(i)));
            if (byteId != Vocabulary.NONE) {
                out.add(byteId);
            }
        }
    }

    /**
     * Normal tokens are unmapped to their raw bytes (possibly part of a UTF-8 character); user-defined
     * tokens are stored as plain text; control and unknown tokens show only when rendered.
     */
    @Override
    public byte[] pieceBytes(int token, boolean renderSpecial) {
        String text = vocabulary.token(token);
        int attributes = vocabulary.attributes(token);
        if ((attributes & (TokenAttr.CONTROL | TokenAttr.UNKNOWN)) != 0) {
            return renderSpecial ? text.getBytes(StandardCharsets.UTF_8) : NOTHING;
        }
        if ((attributes & TokenAttr.USER_DEFINED) != 0) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if ((attributes & TokenAttr.NORMAL) != 0) {
            return ByteLevel.decode(text);
        }
        if ((attributes & TokenAttr.BYTE) != 0) {
            return byteToken(text);
        }
        return NOTHING;
    }

    /** A "&lt;0xXX&gt;" byte token, which some BPE vocabularies carry for byte fallback. */
    private static byte[] byteToken(String text) {
        if (text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")) {
            try {
                return new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)};
            } catch (NumberFormatException e) {
                // not a byte token after all: show its text
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "BpeTokenizer[" + preTokenizer + ", " + vocabulary.size() + " tokens]";
    }
}
