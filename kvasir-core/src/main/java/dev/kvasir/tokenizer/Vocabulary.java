package dev.kvasir.tokenizer;

import dev.kvasir.gguf.GgufMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's token table as llama.cpp loads it: texts, scores, GGUF token types, BPE merges, special ids,
 * and the attribute fix-ups llama.cpp applies on load (end-of-turn markers become CONTROL, the set of
 * end-of-generation ids, per-model strip flags). Immutable.
 */
public final class Vocabulary {
    /** The id of an absent special token (llama.cpp's LLAMA_TOKEN_NULL). */
    public static final int NONE = -1;

    public static final String MODEL_SPM = "llama";
    public static final String MODEL_BPE = "gpt2";

    private final String model;
    private final String pre;
    private final String[] tokens;
    private final float[] scores;
    private final int[] tokenTypes;
    private final int[] attributes;
    private final String[] merges;
    private final SpecialTokens special;
    private final Map<String, Integer> ids;
    private final int[] endOfGeneration;
    private final int[] specialTokensLongestFirst;
    private final int maxTokenBytes;

    /**
     * @param model      {@code tokenizer.ggml.model}: "llama" (SPM) or "gpt2" (BPE)
     * @param pre        {@code tokenizer.ggml.pre}, "default" when absent
     * @param name       {@code general.name}, used only for llama.cpp's per-model token attributes (phi-3)
     * @param scores     may be null (all 0)
     * @param tokenTypes GGUF token types; may be null (all NORMAL)
     * @param merges     BPE merges "a b"; may be null (none)
     */
    public Vocabulary(String model, String pre, String name, String[] tokens, float[] scores, int[] tokenTypes,
                      String[] merges, SpecialTokens special) {
        if (tokens == null || tokens.length == 0) {
            throw new TokenizerException("tokenizer.ggml.tokens is empty; the model file has no vocabulary");
        }
        int n = tokens.length;
        requireLength("tokenizer.ggml.scores", scores == null ? n : scores.length, n);
        requireLength("tokenizer.ggml.token_type", tokenTypes == null ? n : tokenTypes.length, n);
        this.model = model;
        this.pre = pre == null || pre.isEmpty() ? "default" : pre;
        this.tokens = new String[n];
        this.scores = scores == null ? new float[n] : Arrays.copyOf(scores, n);
        this.tokenTypes = new int[n];
        this.attributes = new int[n];
        this.merges = merges == null ? new String[0] : merges.clone();
        this.ids = HashMap.newHashMap(n);
        int longest = 0;
        for (int i = 0; i < n; i++) {
            // llama.cpp renames empty tokens so that every id stays reachable by its text
            String text = tokens[i] == null || tokens[i].isEmpty() ? "[EMPTY_" + i + "]" : tokens[i];
            Integer previous = ids.putIfAbsent(text, i);
            // tokens that are not valid UTF-8 all read as U+FFFD; they stay reachable by id only
            if (previous != null && text.indexOf('\uFFFD') < 0) {
                throw new TokenizerException("tokenizer.ggml.tokens: duplicate token '" + text + "' has ids "
                        + previous + " and " + i + "; re-convert the model with a current llama.cpp");
            }
            this.tokens[i] = text;
            this.tokenTypes[i] = tokenTypes == null ? TokenType.NORMAL.id() : tokenTypes[i];
            this.attributes[i] = TokenAttr.fromType(TokenType.byId(this.tokenTypes[i]));
            longest = Math.max(longest, Utf8.length(text));
        }
        this.maxTokenBytes = longest;
        LoadFixups fixups = new LoadFixups(this.tokens, ids, attributes, validated(special, n));
        this.special = fixups.special();
        this.endOfGeneration = fixups.endOfGeneration();
        this.specialTokensLongestFirst = collectSpecialTokens();
        if (name != null && (name.toLowerCase().contains("phi-3") || name.toLowerCase().contains("phi3"))) {
            fixups.phi3StripFlags(specialTokensLongestFirst, ids);
        }
    }

    /** The vocabulary of a GGUF file, read from llama.cpp's {@code tokenizer.ggml.*} keys. */
    public static Vocabulary fromGguf(GgufMetadata metadata) {
        return GgufVocabulary.read(metadata);
    }

    private static void requireLength(String key, int actual, int n) {
        if (actual < n) {
            throw new TokenizerException(key + " has " + actual + " entries but there are " + n
                    + " tokens; the model file is corrupt, re-convert it");
        }
    }

    private static SpecialTokens validated(SpecialTokens s, int n) {
        SpecialTokens inRange = new SpecialTokens(inRange(s.bos(), n), inRange(s.eos(), n), inRange(s.eot(), n),
                inRange(s.eom(), n), inRange(s.unk(), n), inRange(s.pad(), n),
                s.addBos(), s.addEos(), s.addSpacePrefix());
        if (inRange.addBos() && inRange.bos() == NONE) {
            throw new TokenizerException("tokenizer.ggml.add_bos_token is true, but tokenizer.ggml.bos_token_id"
                    + " is not set (or out of range); fix the model metadata");
        }
        if (inRange.addEos() && inRange.eos() == NONE) {
            throw new TokenizerException("tokenizer.ggml.add_eos_token is true, but tokenizer.ggml.eos_token_id"
                    + " is not set (or out of range); fix the model metadata");
        }
        return inRange;
    }

    private static int inRange(int id, int n) {
        return id >= 0 && id < n ? id : NONE;
    }

    /** llama.cpp's cache_special_tokens: ids parsed out of raw text, longest text first (stable by id). */
    private int[] collectSpecialTokens() {
        List<Integer> special = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if ((attributes[i] & (TokenAttr.CONTROL | TokenAttr.USER_DEFINED | TokenAttr.UNKNOWN)) != 0) {
                special.add(i);
            }
        }
        special.sort(Comparator.comparingInt((Integer id) -> Utf8.length(tokens[id])).reversed());
        return special.stream().mapToInt(Integer::intValue).toArray();
    }

    public String model() {
        return model;
    }

    public boolean isSpm() {
        return MODEL_SPM.equals(model);
    }

    public boolean isBpe() {
        return MODEL_BPE.equals(model);
    }

    public String pre() {
        return pre;
    }

    public int size() {
        return tokens.length;
    }

    /** The token texts as stored (SPM: spaces as U+2581; BPE: GPT-2 byte-to-unicode form). Read-only view. */
    public List<String> tokens() {
        return Collections.unmodifiableList(Arrays.asList(tokens));
    }

    public String token(int id) {
        return tokens[checked(id)];
    }

    public float score(int id) {
        return scores[checked(id)];
    }

    public float[] scores() {
        return scores.clone();
    }

    /** The GGUF {@code token_type} as stored in the file (before llama.cpp's attribute fix-ups). */
    public TokenType tokenType(int id) {
        return TokenType.byId(tokenTypes[checked(id)]);
    }

    public int[] tokenTypes() {
        return tokenTypes.clone();
    }

    /** {@link TokenAttr} bits after llama.cpp's load-time fix-ups. */
    public int attributes(int id) {
        return attributes[checked(id)];
    }

    public boolean isControl(int id) {
        return (attributes(id) & TokenAttr.CONTROL) != 0;
    }

    public boolean isUserDefined(int id) {
        return (attributes(id) & TokenAttr.USER_DEFINED) != 0;
    }

    public boolean isUnknown(int id) {
        return (attributes(id) & TokenAttr.UNKNOWN) != 0;
    }

    public boolean isByte(int id) {
        return (attributes(id) & TokenAttr.BYTE) != 0;
    }

    public boolean isNormal(int id) {
        return (attributes(id) & TokenAttr.NORMAL) != 0;
    }

    public boolean isUnused(int id) {
        return (attributes(id) & TokenAttr.UNUSED) != 0;
    }

    /** BPE merges "left right" in rank order (empty for SPM). */
    public List<String> merges() {
        return Collections.unmodifiableList(Arrays.asList(merges));
    }

    /** The id of a token text, or {@link #NONE}. */
    public int id(String text) {
        Integer id = ids.get(text);
        return id == null ? NONE : id;
    }

    /** Length in UTF-8 bytes of the longest token text. */
    public int maxTokenBytes() {
        return maxTokenBytes;
    }

    public SpecialTokens special() {
        return special;
    }

    public int bos() {
        return special.bos();
    }

    public int eos() {
        return special.eos();
    }

    public int eot() {
        return special.eot();
    }

    public int eom() {
        return special.eom();
    }

    public int unk() {
        return special.unk();
    }

    public int pad() {
        return special.pad();
    }

    public boolean addBos() {
        return special.addBos();
    }

    public boolean addEos() {
        return special.addEos();
    }

    public boolean addSpacePrefix() {
        return special.addSpacePrefix();
    }

    /** Whether generating this id ends generation (EOS, EOT, EOM, and llama.cpp's end-of-turn texts). */
    public boolean isEndOfGeneration(int id) {
        return Arrays.binarySearch(endOfGeneration, id) >= 0;
    }

    /** The end-of-generation ids, ascending. */
    public int[] endOfGenerationIds() {
        return endOfGeneration.clone();
    }

    /** Ids of CONTROL, USER_DEFINED and UNKNOWN tokens, longest text first: what encode parses out of text. */
    public int[] specialTokensLongestFirst() {
        return specialTokensLongestFirst.clone();
    }

    private int checked(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new TokenizerException("token id " + id + " is outside the vocabulary (0.." + (tokens.length - 1)
                    + ")");
        }
        return id;
    }

    @Override
    public String toString() {
        return "Vocabulary[" + model + "/" + pre + ", " + tokens.length + " tokens, " + special + "]";
    }
}
