package dev.kvasir.tokenizer;

/**
 * The special token ids of a vocabulary ({@link Vocabulary#NONE} when absent) and whether
 * {@code encode(text, addSpecial=true, ...)} adds BOS / EOS, and whether SPM prefixes text with a space.
 */
public record SpecialTokens(int bos, int eos, int eot, int eom, int unk, int pad,
                            boolean addBos, boolean addEos, boolean addSpacePrefix) {

    /** llama.cpp's defaults for a SentencePiece ("llama") vocabulary before GGUF keys override them. */
    public static SpecialTokens spmDefaults() {
        return new SpecialTokens(1, 2, Vocabulary.NONE, Vocabulary.NONE, 0, Vocabulary.NONE, true, false, true);
    }

    /** llama.cpp's defaults for a byte-level BPE ("gpt2") vocabulary before GGUF keys override them. */
    public static SpecialTokens bpeDefaults() {
        return new SpecialTokens(11, 11, Vocabulary.NONE, Vocabulary.NONE, Vocabulary.NONE, Vocabulary.NONE,
                false, false, false);
    }
}
