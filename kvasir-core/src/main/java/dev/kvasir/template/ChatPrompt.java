package dev.kvasir.template;

import dev.kvasir.KvasirException;
import dev.kvasir.gguf.GgufMetadata;
import dev.kvasir.tokenizer.Tokenizer;
import dev.kvasir.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model's chat format: which template renders the conversation (a file the user gave, else the GGUF's
 * {@code tokenizer.chat_template}, else {@link ChatTemplate#CHATML}, llama.cpp's fallback too), the
 * {@code bos_token}/{@code eos_token} texts the template sees, and how the rendered text becomes token ids.
 *
 * @param source where the template came from, for messages (a file name, "FILE.gguf tokenizer.chat_template"
 *               or "the ChatML fallback")
 */
public record ChatPrompt(ChatTemplate template, String source, String bosToken, String eosToken) {
    /** The GGUF metadata key holding the Jinja chat template (from Hugging Face's tokenizer_config.json). */
    public static final String TEMPLATE_KEY = "tokenizer.chat_template";

    public ChatPrompt {
        bosToken = bosToken == null ? "" : bosToken;
        eosToken = eosToken == null ? "" : eosToken;
    }

    /** The chat format of a model or vocabulary file: its own template, or ChatML when it has none. */
    public static ChatPrompt of(GgufMetadata metadata, Tokenizer tokenizer, String fileName) {
        return of(metadata, tokenizer, fileName, null);
    }

    /** As {@link #of(GgufMetadata, Tokenizer, String)}, with {@code templateFile} (nullable) replacing the model's. */
    public static ChatPrompt of(GgufMetadata metadata, Tokenizer tokenizer, String fileName, Path templateFile) {
        Vocabulary v = tokenizer.vocabulary();
        String bos = specialText(tokenizer, v.bos());
        String eos = specialText(tokenizer, v.eos());
        if (templateFile != null) {
            return new ChatPrompt(readTemplate(templateFile), templateFile.getFileName().toString(), bos, eos);
        }
        Optional<String> own = modelTemplate(metadata);
        if (own.isEmpty()) {
            return new ChatPrompt(ChatTemplate.chatMl(), "the ChatML fallback", bos, eos);
        }
        String source = fileName + " " + TEMPLATE_KEY;
        return new ChatPrompt(parse(own.get(), source), source, bos, eos);
    }

    /** The model's own template text, if it has a non-empty one. */
    public static Optional<String> modelTemplate(GgufMetadata metadata) {
        return Optional.ofNullable(metadata.getString(TEMPLATE_KEY, null)).filter(s -> !s.isBlank());
    }

    /** A template file (Jinja2 source, UTF-8); errors name the file. */
    public static ChatTemplate readTemplate(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new KvasirException(file + ": chat template file not found");
        } catch (IOException e) {
            throw new KvasirException(file + ": cannot read the chat template: " + e.getMessage());
        }
        return parse(text, file.getFileName().toString());
    }

    private static ChatTemplate parse(String text, String source) {
        try {
            return ChatTemplate.parse(text);
        } catch (TemplateException e) {
            throw new TemplateException(source + ": " + e.getMessage());
        }
    }

    /** llama.cpp passes the token's text as rendered with special=true, or "" when the vocabulary has none. */
    private static String specialText(Tokenizer tokenizer, int id) {
        return id == Vocabulary.NONE ? "" : new String(tokenizer.pieceBytes(id, true), StandardCharsets.UTF_8);
    }

    public ChatPrompt withTemplate(ChatTemplate other, String otherSource) {
        return new ChatPrompt(other, otherSource, bosToken, eosToken);
    }

    /** The text the template writes for {@code chat}, exactly as transformers' apply_chat_template(tokenize=False). */
    public String render(ChatConversation chat) {
        try {
            return template.render(chat.messages(), chat.tools(), chat.addGenerationPrompt(), bosToken, eosToken, null);
        } catch (TemplateException e) {
            throw new TemplateException(source + ": " + e.getMessage());
        }
    }

    /**
     * The ids of a rendered chat prompt, as llama.cpp's chat path produces them: special-token texts are parsed,
     * and when the vocabulary adds BOS (EOS) itself a BOS (EOS) text the template already wrote at the start
     * (end) is removed first (common/chat.cpp), so the prompt never starts with two BOS tokens.
     */
    public int[] tokenize(Tokenizer tokenizer, String rendered) {
        Vocabulary v = tokenizer.vocabulary();
        String text = rendered;
        if (v.addBos() && !bosToken.isEmpty() && text.startsWith(bosToken)) {
            text = text.substring(bosToken.length());
        }
        if (v.addEos() && !eosToken.isEmpty() && text.endsWith(eosToken)) {
            text = text.substring(0, text.length() - eosToken.length());
        }
        return tokenizer.encode(text, true, true);
    }

    /** {@link #render} then {@link #tokenize}. */
    public int[] tokens(Tokenizer tokenizer, ChatConversation chat) {
        return tokenize(tokenizer, render(chat));
    }
}
