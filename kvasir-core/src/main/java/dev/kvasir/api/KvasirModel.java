package dev.kvasir.api;

import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.constrain.Constraints;
import dev.kvasir.constrain.GrammarMatcher;
import dev.kvasir.generate.GeneratedToken;
import dev.kvasir.generate.Generator;
import dev.kvasir.generate.TokenListener;
import dev.kvasir.template.ChatConversation;
import dev.kvasir.template.ChatMessage;
import dev.kvasir.template.ChatPrompt;
import dev.kvasir.tools.Tool;
import dev.kvasir.tools.ToolFormat;
import dev.kvasir.workflow.CacheIdentity;
import dev.kvasir.workflow.CacheKeys;
import dev.kvasir.workflow.Conversation;
import dev.kvasir.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A loaded model: generates text, answers chats and opens {@link Session}s. Stateless calls
 * ({@link #generate}, {@link #chat}) start from the longest cached token prefix of earlier calls, so
 * the next call of a conversation computes only its new tokens whatever keeps the messages; with
 * {@link LoadOptions#cacheDir()} those caches survive a restart.
 *
 * <p>Thread-safe: calls from several threads run concurrently but their forward passes are serialized
 * (the model computes one pass at a time). Close it when done: the model file is unmapped, and using it or
 * its sessions afterwards fails.
 */
public final class KvasirModel implements AutoCloseable {
    private final Generator generator;
    private final ChatPrompt chatPrompt;
    private final PrefixStore store;
    private final Runner runner;
    private final Path file;
    private Constraints constraints; // built on first use: the vocabulary trie costs time and memory
    private ToolFormat toolFormat;
    private boolean templateIgnoresTools;

    private KvasirModel(Generator generator, ChatPrompt chatPrompt, PrefixStore store, Path file) {
        this.generator = generator;
        this.chatPrompt = chatPrompt;
        this.store = store;
        this.runner = new Runner(generator);
        this.file = file;
    }

    static KvasirModel open(Path path, LoadOptions options) {
        Generator generator = Generator.load(path);
        try {
            var model = generator.model();
            ChatPrompt chat = ChatPrompt.of(model.gguf().metadata(), generator.tokenizer(),
                    path.getFileName().toString(), options.chatTemplate());
            PrefixStore store = new PrefixStore(CacheIdentity.of(model), options.cacheDir(), options.maxCachedPrompts());
            return new KvasirModel(generator, chat, store, path.toAbsolutePath());
        } catch (RuntimeException e) {
            generator.close();
            throw e;
        }
    }

    /** Continues {@code prompt} (tokenized as {@link #tokenize} does), streaming each piece of text to {@code listener}. */
    public Result generate(String prompt, Params params, TokenListener listener) {
        if (!params.tools().isEmpty()) {
            throw new IllegalArgumentException("tools apply to chat(...), which renders them with the chat template; "
                    + "generate(...) continues plain text");
        }
        return runCached(tokenize(prompt), params, List.of(), formatConstraint(params.format()), listener);
    }

    /** {@link #generate(String, Params, TokenListener)} without streaming. */
    public Result generate(String prompt, Params params) {
        return generate(prompt, params, (id, text) -> {});
    }

    /**
     * The assistant's answer to {@code messages}, rendered with the chat template ({@link #renderChat}),
     * streaming each piece of text to {@code listener}. With {@link Params#tools()} the tools are rendered in
     * the template's own format (or described in the system message when the template has none), the calls
     * are parsed from the answer into {@link Result#toolCalls()}, and {@link ToolChoice#REQUIRED} forces
     * one valid call while sampling; since a call is only told from text once complete, the listener then gets
     * the answer's text in one piece at the end.
     */
    public Result chat(List<ChatMessage> messages, Params params, TokenListener listener) {
        boolean tools = !params.tools().isEmpty() && params.toolChoice() != ToolChoice.NONE;
        if (!tools) {
            return runCached(chatTokens(messages), params, Conversation.TURN_STOPS, formatConstraint(params.format()),
                    listener);
        }
        ToolFormat format = toolFormat();
        List<ChatMessage> rendered = messages;
        List<Map<String, Object>> toolValues = params.tools().stream().map(Tool::templateValue).toList();
        if (templateIgnoresTools) {
            rendered = ToolFormat.withToolsInText(messages, params.tools());
        }
        int[] prompt = chatPrompt.tokens(generator.tokenizer(),
                new ChatConversation(rendered, templateIgnoresTools ? null : toolValues, true));
        GrammarMatcher constraint = params.toolChoice() == ToolChoice.REQUIRED
                ? constraints().automaton("tool:" + format + ":" + Json.write(toolValues),
                        () -> format.grammar(params.tools(), false)).newMatcher()
                : formatConstraint(params.format());
        Result raw = runCached(prompt, params, Conversation.TURN_STOPS, constraint, (id, text) -> {});
        ToolFormat.Parsed parsed = format.parse(raw.text());
        if (!parsed.content().isEmpty()) {
            listener.onToken(GeneratedToken.NO_TOKEN, parsed.content());
        }
        return raw.withToolCalls(parsed.content(), parsed.calls());
    }

    /** {@link #chat(List, Params, TokenListener)} without streaming. */
    public Result chat(List<ChatMessage> messages, Params params) {
        return chat(messages, params, (id, text) -> {});
    }

    /** Prompt text to ids as {@code kvasir generate} does: BOS when the model wants one, special-token texts not parsed. */
    public int[] tokenize(String text) {
        return generator.tokenize(text);
    }

    /** Ids to text (no BOS/EOS text, partial UTF-8 as U+FFFD). */
    public String detokenize(int[] tokens) {
        return generator.tokenizer().decode(tokens);
    }

    /** The prompt text {@link #chat} feeds for {@code messages}: the template's rendering ending with the assistant's header. */
    public String renderChat(List<ChatMessage> messages) {
        return chatPrompt.render(ChatConversation.of(messages, true));
    }

    /** The ids {@link #chat} feeds for {@code messages} (special-token texts parsed, as llama.cpp's chat path does). */
    public int[] chatTokens(List<ChatMessage> messages) {
        return chatPrompt.tokens(generator.tokenizer(), ChatConversation.of(messages, true));
    }

    /** A new conversation in memory, with {@code system} (nullable) as its first message. */
    public Session newSession(String system) {
        PromptCache pc = PromptCache.create(CacheIdentity.of(generator.model()), CacheOptions.full());
        Conversation c = Conversation.start(chatPrompt, generator.tokenizer(), pc, system);
        pc.putMetadata(CacheKeys.MODEL_FILE, file.toString());
        return new Session(this, c);
    }

    /** Positions the model attends over: prompt plus answer must fit. */
    public int contextLength() {
        return generator.model().config().contextLength();
    }

    /** The model file's name, e.g. {@code stories260K.gguf}. */
    public String name() {
        return file.getFileName().toString();
    }

    /** The model file. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        generator.close();
    }

    Generator generator() {
        return generator;
    }

    ChatPrompt chatPrompt() {
        return chatPrompt;
    }

    Runner runner() {
        return runner;
    }

    /** The grammar a response format enforces, or null for free text. */
    GrammarMatcher formatConstraint(ResponseFormat format) {
        return switch (format) {
            case ResponseFormat.Text t -> null;
            case ResponseFormat.JsonObject j -> constraints().jsonObject().newMatcher();
            case ResponseFormat.JsonSchema s -> constraints().jsonSchema(s.schema()).newMatcher();
        };
    }

    private synchronized Constraints constraints() {
        if (constraints == null) {
            constraints = new Constraints(generator.tokenizer());
        }
        return constraints;
    }

    private synchronized ToolFormat toolFormat() {
        if (toolFormat == null) {
            toolFormat = ToolFormat.detect(chatPrompt);
            templateIgnoresTools = ToolFormat.templateIgnoresTools(chatPrompt);
        }
        return toolFormat;
    }

    private Result runCached(int[] prompt, Params params, List<String> extraStops, GrammarMatcher constraint,
                             TokenListener listener) {
        PrefixStore.Entry entry = store.checkout(prompt);
        try {
            return runner.run(entry.cache(), prompt, params, extraStops, constraint, listener);
        } finally {
            store.checkin(entry);
        }
    }
}
