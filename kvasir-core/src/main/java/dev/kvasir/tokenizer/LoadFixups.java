package dev.kvasir.tokenizer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fix-ups llama.cpp's llama_vocab::load applies by token text, because converters do not always mark
 * end-of-turn and fill-in-the-middle tokens: it finds EOT/EOM when the metadata lacks them, forces those
 * tokens to CONTROL, and collects the end-of-generation set. Mutates the attribute array it is given.
 */
final class LoadFixups {
    /** In llama.cpp's order, which also serves as preference when a vocabulary has several. */
    private static final List<String> EOT_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>",
            "<end_of_utterance>");
    private static final List<String> EOM_TEXTS = List.of("<|eom_id|>");
    private static final Set<String> FIM_PRE_SUF_MID_TEXTS = Set.of(
            "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>",
            "<|code_prefix|>", "<|prefix|>",
            "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>",
            "<|code_suffix|>", "<|suffix|>",
            "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>",
            "<|code_middle|>", "<|middle|>");
    /** FIM pad / repo / file-separator tokens end generation too. */
    private static final Set<String> FIM_EOG_TEXTS = Set.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>",
            "[PAD]", "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>", "<|file_sep|>");
    private static final Set<String> EOG_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>",
            "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>",
            "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>",
            "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[");
    /** gpt-oss: llama.cpp always renders these. */
    private static final Set<String> ALWAYS_RENDERED = Set.of("<|channel|>", "<|message|>", "<|start|>",
            "<|constrain|>");

    private final String[] tokens;
    private final int[] attributes;
    private final SpecialTokens special;
    private final int[] endOfGeneration;

    LoadFixups(String[] tokens, Map<String, Integer> ids, int[] attributes, SpecialTokens declared) {
        this.tokens = tokens;
        this.attributes = attributes;
        int eot = declared.eot() != Vocabulary.NONE ? declared.eot() : findControl(EOT_TEXTS, ids);
        int eom = declared.eom() != Vocabulary.NONE ? declared.eom() : findControl(EOM_TEXTS, ids);
        this.special = new SpecialTokens(declared.bos(), declared.eos(), eot, eom, declared.unk(), declared.pad(),
                declared.addBos(), declared.addEos(), declared.addSpacePrefix());
        markControl(FIM_PRE_SUF_MID_TEXTS);
        markUnused();
        this.endOfGeneration = collectEndOfGeneration();
        for (int i = 0; i < tokens.length; i++) {
            if (ALWAYS_RENDERED.contains(tokens[i])) {
                attributes[i] = TokenAttr.USER_DEFINED;
            }
        }
    }

    SpecialTokens special() {
        return special;
    }

    int[] endOfGeneration() {
        return endOfGeneration;
    }

    /**
     * llama.cpp's phi-3 rule (chosen by general.name): special tokens swallow whitespace to their right
     * when parsed out of text, except BOS, UNK and &lt;|endoftext|&gt;.
     */
    void phi3StripFlags(int[] specialTokens, Map<String, Integer> ids) {
        for (int id : specialTokens) {
            attributes[id] |= TokenAttr.RSTRIP;
        }
        setStrip(ids.get("</s>"), true);
        for (String text : new String[] {"<unk>", "<s>", "<|endoftext|>"}) {
            setStrip(ids.get(text), false);
        }
    }

    private void setStrip(Integer id, boolean on) {
        if (id != null) {
            attributes[id] = on ? attributes[id] | TokenAttr.RSTRIP : attributes[id] & ~TokenAttr.RSTRIP;
        }
    }

    /**
     * The first text of the list present in the vocabulary, forced CONTROL. llama.cpp takes whichever its
     * hash map yields first; list order gives the same answer for the known cases (phi-3: &lt;|end|&gt; over
     * &lt;|endoftext|&gt;, Qwen: &lt;|im_end|&gt;) and is deterministic.
     */
    private int findControl(List<String> texts, Map<String, Integer> ids) {
        for (String text : texts) {
            Integer id = ids.get(text);
            if (id != null) {
                attributes[id] |= TokenAttr.CONTROL;
                return id;
            }
        }
        return Vocabulary.NONE;
    }

    private void markControl(Set<String> texts) {
        for (int i = 0; i < tokens.length; i++) {
            if (texts.contains(tokens[i])) {
                attributes[i] |= TokenAttr.CONTROL;
            }
        }
    }

    private void markUnused() {
        for (int i = 0; i < tokens.length; i++) {
            if ((attributes[i] & TokenAttr.CONTROL) != 0 && tokens[i].contains("unused")) {
                attributes[i] |= TokenAttr.UNUSED;
            }
        }
    }

    private int[] collectEndOfGeneration() {
        TreeSet<Integer> eog = new TreeSet<>();
        for (int i = 0; i < tokens.length; i++) {
            if (FIM_EOG_TEXTS.contains(tokens[i])) {
                attributes[i] |= TokenAttr.CONTROL;
                eog.add(i);
            }
            if (EOG_TEXTS.contains(tokens[i])) {
                attributes[i] |= TokenAttr.CONTROL;
                eog.add(i);
            }
        }
        for (int id : new int[] {special.eos(), special.eot(), special.eom()}) {
            if (id != Vocabulary.NONE) {
                eog.add(id);
            }
        }
        dropHarmonyEnd(eog);
        dropGemma4ClosingS(eog);
        return eog.stream().mapToInt(Integer::intValue).toArray();
    }

    /** gpt-oss / solar-open: "&lt;|end|&gt;" separates messages there and must not stop generation. */
    private void dropHarmonyEnd(TreeSet<Integer> eog) {
        boolean hasReturn = hasText(eog, "<|return|>");
        boolean hasCall = hasText(eog, "<|call|>") || hasText(eog, "<|calls|>");
        boolean hasFlush = hasText(eog, "<|flush|>");
        Integer end = idOfText(eog, "<|end|>");
        if (end != null && hasCall && (hasReturn || hasFlush)) {
            eog.remove(end);
            attributes[end] = TokenAttr.USER_DEFINED;
        }
    }

    /** gemma4 / paddleocr: "&lt;/s&gt;" is ordinary text when "&lt;|tool_response&gt;" exists. */
    private void dropGemma4ClosingS(TreeSet<Integer> eog) {
        Integer closingS = idOfText(eog, "</s>");
        if (closingS != null && hasText(eog, "<|tool_response>")) {
            eog.remove(closingS);
            attributes[closingS] = TokenAttr.NORMAL;
        }
    }

    private boolean hasText(Set<Integer> ids, String text) {
        return idOfText(ids, text) != null;
    }

    private Integer idOfText(Set<Integer> ids, String text) {
        for (int id : ids) {
            if (tokens[id].equals(text)) {
                return id;
            }
        }
        return null;
    }
}
