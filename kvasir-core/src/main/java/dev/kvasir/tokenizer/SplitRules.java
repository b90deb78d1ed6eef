package dev.kvasir.tokenizer;

import java.util.List;

/**
 * The rule lists behind each {@link PreTokenizer}, from the regexes in the models' tokenizer.json files as
 * llama.cpp (llama-vocab.cpp, {@code llm_tokenizer_bpe}) adapts them: case-insensitive groups spelled out,
 * the GPT-2 and Llama 3 regexes replaced by their hand-written splitters.
 */
final class SplitRules {
    private SplitRules() {
    }

    static final SplitRule GPT2_SPLIT = new Gpt2Split();
    static final SplitRule LLAMA3_SPLIT = new Llama3Split();

    static final List<SplitRule> GPT2 = List.of(GPT2_SPLIT);

    static final List<SplitRule> LLAMA3 = List.of(LLAMA3_SPLIT);

    static final List<SplitRule> DEFAULT = List.of(
            RegexSplit.of("[\\p{P}\\$\\+<=>\\^~\\|]+"),
            GPT2_SPLIT,
            RegexSplit.of("\\p{N}+"),
            RegexSplit.of("[0-9][0-9][0-9]"));

    static final List<SplitRule> FALCON = List.of(
            RegexSplit.of("[\\p{P}\\$\\+<=>\\^~\\|`]+"),
            GPT2_SPLIT,
            RegexSplit.of("[0-9][0-9][0-9]"));

    /** Starcoder, Refact, Command-R, SmolLM: single digits, then GPT-2. */
    static final List<SplitRule> STARCODER = List.of(
            RegexSplit.of("\\p{N}"),
            GPT2_SPLIT);

    private static final String CONTRACTIONS = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";

    /*
     * Tekken and GPT-4o tell upper from lower case: [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]* in tokenizer.json, which
     * llama.cpp approximates as "a letter that is not a-z" ((?=[\p{L}])([^a-z]))*. The class intersections
     * below say the same without a repeated group (which java.util.regex would recurse on).
     */
    private static final String NOT_LOWER = "[\\p{L}&&[^a-z]]";
    private static final String NOT_UPPER = "[\\p{L}&&[^A-Z]]";

    static final List<SplitRule> TEKKEN = List.of(RegexSplit.of(
            "[^\\r\\n\\p{L}\\p{N}]?" + NOT_LOWER + "*" + NOT_UPPER + "+"
                    + "|[^\\r\\n\\p{L}\\p{N}]?" + NOT_LOWER + "+" + NOT_UPPER + "*"
                    + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"));

    static final List<SplitRule> GPT4O = List.of(RegexSplit.of(
            "[^\\r\\n\\p{L}\\p{N}]?" + NOT_LOWER + "*" + NOT_UPPER + "+" + CONTRACTIONS + "?"
                    + "|[^\\r\\n\\p{L}\\p{N}]?" + NOT_LOWER + "+" + NOT_UPPER + "*" + CONTRACTIONS + "?"
                    + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"));

    /** Qwen 3.5: Qwen 2's regex with combining marks (\p{M}) kept inside words. */
    static final List<SplitRule> QWEN35 = List.of(RegexSplit.of(CONTRACTIONS
            + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}\\p{M}]+|\\p{N}| ?[^\\s\\p{L}\\p{M}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+"
            + "|\\s+(?!\\S)|\\s+"));

    static final List<SplitRule> QWEN2 = List.of(RegexSplit.of(
            CONTRACTIONS + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"));

    /**
     * The cased-letter ranges of DeepSeek LLM's tokenizer.json (A-Z, a-z, µ, À-Ö, ... 𞤀-𞥃), escaped because
     * several are canonical singletons (U+1FBE, U+2126, U+212A...) that an editor's NFC would silently change.
     */
    private static final String DEEPSEEK_LETTERS = "A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293\u0295-\u02AF\u0370"
            + "-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-\u03A1\u03A3-\u03F5\u03F7"
            + "-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5\u13A0-\u13F5\u13F8-\u13FD\u1C90-\u1CBA\u1CBD"
            + "-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A\u1E00-\u1F15\u1F18-\u1F1D\u1F20-\u1F45\u1F48"
            + "-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D\u1F5F-\u1F7D\u1F80-\u1FB4\u1FB6-\u1FBC\u1FBE\u1FC2"
            + "-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3\u1FD6-\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4\u1FF6-\u1FFC\u2102"
            + "\u2107\u210A-\u2113\u2115\u2119-\u211D\u2124\u2126\u2128\u212A-\u212D\u212F-\u2134\u2139"
            + "\u213C-\u213F\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4\u2CEB-\u2CEE\u2CF2"
            + "\u2CF3\uA640-\uA66D\uA680-\uA69B\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E\uAB70-\uABBF\uFB00"
            + "-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A\uD801\uDC00-\uD801\uDC4F\uD801\uDCB0-\uD801\uDCD3"
            + "\uD801\uDCD8-\uD801\uDCFB\uD803\uDC80-\uD803\uDCB2\uD803\uDCC0-\uD803\uDCF2\uD806\uDCA0"
            + "-\uD806\uDCDF\uD83A\uDD00-\uD83A\uDD43";

    private static final String CJK = "[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+";

    static final List<SplitRule> DEEPSEEK_LLM = List.of(
            RegexSplit.of("[\\r\\n]"),
            RegexSplit.of("\\s?[" + DEEPSEEK_LETTERS + "]+"),
            RegexSplit.of("\\s?[!-/:-~\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+"),
            // "\s+$": std::regex's "$" is the end of the piece (Java's would also match before a final line
            // break); starting only where a whitespace run starts gives the same leftmost match in linear time
            RegexSplit.of("(?<!\\s)\\s++\\z"),
            RegexSplit.of(CJK),
            RegexSplit.of("\\p{N}+"));

    static final List<SplitRule> DEEPSEEK_CODER = List.of(
            RegexSplit.of("[\\r\\n]"),
            RegexSplit.of("\\s?\\p{L}+"),
            RegexSplit.of("\\s?\\p{P}+"),
            RegexSplit.of(CJK),
            RegexSplit.of("\\p{N}"));
}
