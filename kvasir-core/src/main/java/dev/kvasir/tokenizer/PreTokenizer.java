package dev.kvasir.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * How a byte-level BPE vocabulary cuts text into words before merging, chosen by {@code tokenizer.ggml.pre}
 * the way llama.cpp chooses its {@code llama_vocab_pre_type}, with llama.cpp's ignore_merges flag per type.
 * (llama.cpp's per-type add_bos default is applied where vocabularies are loaded.)
 */
public enum PreTokenizer {
    DEFAULT(SplitRules.DEFAULT, false, "default"),
    GPT2(SplitRules.GPT2, false,
            "gpt-2", "phi-2", "mpt", "olmo", "gpt-neox", "jais", "exaone4", "trillion", "granite-docling"),
    /** Llama 3: a word already in the vocabulary is one token (ignore_merges). */
    LLAMA3(SplitRules.LLAMA3, true,
            "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2"),
    /** The Llama 3 regex without Llama 3's ignore_merges. */
    DBRX(SplitRules.LLAMA3, false, "dbrx", "smaug-bpe"),
    DEEPSEEK_LLM(SplitRules.DEEPSEEK_LLM, false, "deepseek-llm"),
    DEEPSEEK_CODER(SplitRules.DEEPSEEK_CODER, false, "deepseek-coder"),
    FALCON(SplitRules.FALCON, false, "falcon"),
    STARCODER(SplitRules.STARCODER, false,
            "starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b"),
    QWEN2(SplitRules.QWEN2, false, "qwen2", "deepseek-r1-qwen", "stablelm2", "megrez"),
    QWEN35(SplitRules.QWEN35, false, "qwen35"),
    /** Mistral's Tekken (Nemo, Pixtral): case-aware words, single digits, ignore_merges. */
    TEKKEN(SplitRules.TEKKEN, true, "tekken"),
    GPT4O(SplitRules.GPT4O, false, "gpt-4o", "llama4", "kanana2");

    private static final Map<String, PreTokenizer> BY_NAME = byName();

    private final List<SplitRule> rules;
    private final boolean ignoreMerges;
    private final List<String> names;

    PreTokenizer(List<SplitRule> rules, boolean ignoreMerges, String... names) {
        this.rules = rules;
        this.ignoreMerges = ignoreMerges;
        this.names = List.of(names);
    }

    private static Map<String, PreTokenizer> byName() {
        Map<String, PreTokenizer> map = new TreeMap<>();
        for (PreTokenizer p : values()) {
            p.names.forEach(n -> map.put(n, p));
        }
        return map;
    }

    /**
     * The pre-tokenizer for a {@code tokenizer.ggml.pre} value; absent or empty means "default", as in
     * llama.cpp (which warns that quality degrades).
     */
    public static PreTokenizer forName(String pre) {
        if (pre == null || pre.isEmpty()) {
            return DEFAULT;
        }
        PreTokenizer p = BY_NAME.get(pre);
        if (p == null) {
            throw new TokenizerException("tokenizer.ggml.pre '" + pre + "' is not a supported BPE pre-tokenizer"
                    + " (supported: " + String.join(", ", BY_NAME.keySet()) + "); use a model converted for one"
                    + " of these");
        }
        return p;
    }

    /** The {@code tokenizer.ggml.pre} values that select this pre-tokenizer. */
    public List<String> names() {
        return names;
    }

    /** Whether a word that is itself a vocabulary token skips the merges (llama.cpp's ignore_merges). */
    public boolean ignoreMerges() {
        return ignoreMerges;
    }

    /** Splits text into the words BPE merges within (never across); concatenated they give back text. */
    public List<String> split(String text) {
        String masked = maskNonAsciiWhitespace(text);
        int[] ends = {text.length()};
        for (SplitRule rule : rules) {
            ends = refine(rule, masked, ends);
        }
        List<String> words = new ArrayList<>(ends.length);
        int start = 0;
        for (int end : ends) {
            if (end > start) {
                words.add(text.substring(start, end));
            }
            start = end;
        }
        return words;
    }

    private static int[] refine(SplitRule rule, String text, int[] ends) {
        IntStream.Builder refined = IntStream.builder();
        int start = 0;
        for (int end : ends) {
            if (end > start) {
                rule.split(text, start, end, refined);
            }
            start = end;
        }
        return refined.build().toArray();
    }

    /**
     * llama.cpp hands its regexes text in which every non-ASCII whitespace is U+000B, so that an ASCII
     * {@code \s} still sees it; doing the same keeps literal classes (DeepSeek's U+3000..U+3002)
     * behaving as they do there. All such characters are in the BMP, so offsets do not move.
     */
    static String maskNonAsciiWhitespace(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7F && CodepointClass.isWhitespace(c)) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = '\u000B';
            }
        }
        return chars == null ? text : new String(chars);
    }
}
