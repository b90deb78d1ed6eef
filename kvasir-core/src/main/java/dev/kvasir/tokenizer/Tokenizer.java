package dev.kvasir.tokenizer;

import dev.kvasir.gguf.GgufFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Text to token ids and back, with llama.cpp's semantics (llama_tokenize / llama_token_to_piece /
 * llama_detokenize), so that prompts produce exactly the ids llama.cpp feeds the model.
 */
public interface Tokenizer {

    Vocabulary vocabulary();

    /**
     * llama_tokenize: ids for {@code text}.
     *
     * @param addSpecial   add BOS (and EOS) as the vocabulary's add_bos / add_eos flags say
     * @param parseSpecial recognise CONTROL (and UNKNOWN) token texts written in {@code text}, such as
     *                     "&lt;|im_end|&gt;"; USER_DEFINED token texts are always recognised
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /**
     * llama_token_to_piece: the bytes a token contributes to output text. CONTROL and UNKNOWN tokens give
     * their text only when {@code renderSpecial}, else nothing. A piece can be part of a UTF-8 character
     * (byte-fallback tokens), hence bytes.
     */
    byte[] pieceBytes(int token, boolean renderSpecial);

    /** {@link #pieceBytes(int, boolean)} without rendering CONTROL/UNKNOWN tokens. */
    default byte[] pieceBytes(int token) {
        return pieceBytes(token, false);
    }

    /**
     * llama_detokenize: concatenated pieces. With add_space_prefix the first piece loses one leading space
     * (the one encode added) unless a BOS came first: then, as in llama.cpp, the space is kept.
     *
     * @param removeSpecial drop a leading BOS / trailing EOS when the vocabulary adds them
     */
    default byte[] decodeBytes(int[] tokens, boolean removeSpecial, boolean renderSpecial) {
        Vocabulary v = vocabulary();
        int from = 0;
        int to = tokens.length;
        boolean removeSpace = v.addSpacePrefix();
        if (removeSpecial && v.addBos() && to > 0 && tokens[0] == v.bos()) {
            removeSpace = false;
            from++;
        }
        if (removeSpecial && v.addEos() && to > from && tokens[to - 1] == v.eos()) {
            to--;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            byte[] piece = pieceBytes(tokens[i], renderSpecial);
            int skip = removeSpace && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
            out.write(piece, skip, piece.length - skip);
            removeSpace = false;
        }
        return out.toByteArray();
    }

    /** {@link #decodeBytes} as a string; invalid UTF-8 becomes U+FFFD. */
    default String decode(int[] tokens, boolean removeSpecial, boolean renderSpecial) {
        return new String(decodeBytes(tokens, removeSpecial, renderSpecial), StandardCharsets.UTF_8);
    }

    /** llama.cpp's common_detokenize(tokens, special=false): keeps BOS/EOS positions, renders no control text. */
    default String decode(int[] tokens) {
        return decode(tokens, false, false);
    }

    /** A streaming decoder for generated ids: never emits half of a UTF-8 character. */
    default TokenDecoder newDecoder() {
        return new TokenDecoder(this, false);
    }

    /** The tokenizer of a GGUF model or vocabulary file. */
    static Tokenizer of(GgufFile file) {
        return of(Vocabulary.fromGguf(file.metadata()));
    }

    /** The tokenizer for a vocabulary's model type. */
    static Tokenizer of(Vocabulary vocabulary) {
        if (vocabulary.isSpm()) {
            return new SpmTokenizer(vocabulary);
        }
        if (vocabulary.isBpe()) {
            return new BpeTokenizer(vocabulary);
        }
        throw new TokenizerException("tokenizer model '" + vocabulary.model() + "' is not supported yet");
    }
}
