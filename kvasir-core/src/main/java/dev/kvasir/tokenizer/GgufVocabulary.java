package dev.kvasir.tokenizer;

import dev.kvasir.gguf.GgufArray;
import dev.kvasir.gguf.GgufMetadata;
import java.util.Set;

/** Reads llama.cpp's tokenizer.ggml.* metadata into a {@link Vocabulary}, with llama.cpp's defaults. */
final class GgufVocabulary {
    private static final String PREFIX = "tokenizer.ggml.";
    /** BPE pre-tokenizers for which llama.cpp adds BOS unless add_bos_token says otherwise. */
    private static final Set<String> BPE_PRE_ADDING_BOS = Set.of("llama3", "llama-v3", "llama-bpe", "falcon3",
            "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano", "tekken", "chameleon");

    private GgufVocabulary() {
    }

    static Vocabulary read(GgufMetadata m) {
        String model = m.getString(PREFIX + "model");
        String pre = m.getString(PREFIX + "pre", "default");
        SpecialTokens defaults = switch (model) {
            case Vocabulary.MODEL_SPM -> SpecialTokens.spmDefaults();
            case Vocabulary.MODEL_BPE -> bpeDefaults(pre);
            default -> throw new TokenizerException("tokenizer model '" + model + "' (" + PREFIX + "model) is not"
                    + " supported; supported: 'llama' (SentencePiece) and 'gpt2' (byte-level BPE)");
        };
        String[] tokens = m.getStringArray(PREFIX + "tokens");
        String[] merges = m.has(PREFIX + "merges") ? m.getStringArray(PREFIX + "merges") : null;
        if (merges == null && model.equals(Vocabulary.MODEL_BPE)) {
            throw new TokenizerException(PREFIX + "merges is missing but the tokenizer is BPE; re-convert the"
                    + " model with a current llama.cpp");
        }
        int[] types = m.has(PREFIX + "token_type") ? m.getIntArray(PREFIX + "token_type") : null;
        return new Vocabulary(model, pre, m.getString("general.name", null), tokens, scores(m), types, merges,
                special(m, defaults, tokens.length));
    }

    private static SpecialTokens bpeDefaults(String pre) {
        SpecialTokens d = SpecialTokens.bpeDefaults();
        return new SpecialTokens(d.bos(), d.eos(), d.eot(), d.eom(), d.unk(), d.pad(),
                BPE_PRE_ADDING_BOS.contains(pre), d.addEos(), d.addSpacePrefix());
    }

    /** Scores may be stored as FLOAT32 or (by some converters) INT32; llama.cpp accepts both. */
    private static float[] scores(GgufMetadata m) {
        String key = PREFIX + "scores";
        if (!m.has(key)) {
            return null;
        }
        if (m.raw(key) instanceof GgufArray array && array.elementType().isInteger()) {
            int[] ints = m.getIntArray(key);
            float[] scores = new float[ints.length];
            for (int i = 0; i < ints.length; i++) {
                scores[i] = ints[i];
            }
            return scores;
        }
        return m.getFloatArray(key);
    }

    private static SpecialTokens special(GgufMetadata m, SpecialTokens d, int n) {
        return new SpecialTokens(
                id(m, "bos_token_id", d.bos(), n), id(m, "eos_token_id", d.eos(), n),
                id(m, "eot_token_id", d.eot(), n), id(m, "eom_token_id", d.eom(), n),
                id(m, "unknown_token_id", d.unk(), n), id(m, "padding_token_id", d.pad(), n),
                m.getBool(PREFIX + "add_bos_token", d.addBos()),
                m.getBool(PREFIX + "add_eos_token", d.addEos()),
                m.getBool(PREFIX + "add_space_prefix", d.addSpacePrefix()));
    }

    /** A stored id outside the vocabulary (converters write 4294967295 for "none") keeps the default. */
    private static int id(GgufMetadata m, String key, int def, int n) {
        long id = m.getLong(PREFIX + key, def);
        return id >= 0 && id < n ? (int) id : def;
    }
}
