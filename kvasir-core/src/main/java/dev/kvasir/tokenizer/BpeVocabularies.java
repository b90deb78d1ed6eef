package dev.kvasir.tokenizer;

import dev.kvasir.json.Json;
import dev.kvasir.json.JsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Byte-level BPE vocabularies from the files GPT-2-style tokenizers ship ({@code encoder.json} +
 * {@code vocab.bpe}) rather than from a GGUF, with the added special tokens placed after the regular ones
 * as the model defines them.
 */
public final class BpeVocabularies {
    /** Llama 3's first special token id: the 128000 regular tokens come before it. */
    public static final int LLAMA3_BEGIN_OF_TEXT = 128_000;
    private static final int LLAMA3_SPECIAL_COUNT = 256;

    private BpeVocabularies() {
    }

    /**
     * A vocabulary from encoder.json (token → id) and vocab.bpe (merges in rank order, optional "#version"
     * first line), followed by {@code specialTokens} as CONTROL tokens with the next ids.
     *
     * @param pre    the {@code tokenizer.ggml.pre} name
     * @param addBos whether encode with addSpecial starts with {@code bos}
     */
    public static Vocabulary fromEncoderJson(Path encoderJson, Path vocabBpe, String pre, List<String> specialTokens,
                                             int bos, int eos, boolean addBos) {
        Map<?, ?> encoder = encoder(encoderJson);
        String[] tokens = new String[encoder.size() + specialTokens.size()];
        encoder.forEach((text, id) -> {
            if (!(id instanceof Long n) || n < 0 || n >= encoder.size() || tokens[n.intValue()] != null) {
                throw new TokenizerException(encoderJson + ": token ids must be the integers 0.."
                        + (encoder.size() - 1) + ", each once, but '" + text + "' has id " + id);
            }
            tokens[n.intValue()] = (String) text;
        });
        int[] types = new int[tokens.length];
        Arrays.fill(types, TokenType.NORMAL.id());
        for (int i = 0; i < specialTokens.size(); i++) {
            tokens[encoder.size() + i] = specialTokens.get(i);
            types[encoder.size() + i] = TokenType.CONTROL.id();
        }
        SpecialTokens special = new SpecialTokens(bos, eos, Vocabulary.NONE, Vocabulary.NONE, Vocabulary.NONE,
                Vocabulary.NONE, addBos, false, false);
        return new Vocabulary(Vocabulary.MODEL_BPE, pre, null, tokens, null, types, merges(vocabBpe), special);
    }

    /**
     * The Llama 3 (3.1, 3.2) vocabulary from a directory holding its encoder.json and vocab.bpe, with the 256
     * special tokens &lt;|begin_of_text|&gt; = 128000 ... &lt;|reserved_special_token_247|&gt; = 128255, BOS
     * 128000 added by default, EOS &lt;|end_of_text|&gt; (the end-of-turn &lt;|eot_id|&gt; is found by text).
     */
    public static Vocabulary llama3(Path dir) {
        return fromEncoderJson(dir.resolve("encoder.json"), dir.resolve("vocab.bpe"), "llama-bpe",
                llama3SpecialTokens(), LLAMA3_BEGIN_OF_TEXT, LLAMA3_BEGIN_OF_TEXT + 1, true);
    }

    /** Llama 3.1's special token texts, in id order from 128000. */
    static List<String> llama3SpecialTokens() {
        List<String> named = List.of("<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>",
                "<|reserved_special_token_1|>", "<|finetune_right_pad_id|>", "<|reserved_special_token_2|>",
                "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>", "<|eot_id|>", "<|python_tag|>");
        List<String> all = new ArrayList<>(named);
        for (int reserved = 3; all.size() < LLAMA3_SPECIAL_COUNT; reserved++) {
            all.add("<|reserved_special_token_" + reserved + "|>");
        }
        return all;
    }

    /** encoder.json: one JSON object from token text to id. */
    private static Map<?, ?> encoder(Path encoderJson) {
        try {
            if (Json.parse(read(encoderJson)) instanceof Map<?, ?> map) {
                return map;
            }
        } catch (JsonException e) {
            throw new TokenizerException(encoderJson + ": " + e.getMessage());
        }
        throw new TokenizerException(encoderJson + ": expected a JSON object of token text to id (GPT-2"
                + " encoder.json)");
    }

    private static String[] merges(Path vocabBpe) {
        List<String> lines = read(vocabBpe).lines().toList();
        int first = !lines.isEmpty() && lines.getFirst().startsWith("#version") ? 1 : 0;
        return lines.subList(first, lines.size()).stream().filter(line -> !line.isEmpty()).toArray(String[]::new);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TokenizerException(file + ": file not found; expected a GPT-2 style tokenizer file");
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot be read as UTF-8 text (" + e.getMessage() + ")");
        }
    }
}
