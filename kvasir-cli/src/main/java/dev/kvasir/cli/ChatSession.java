package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.generate.Generator;
import dev.kvasir.json.Json;
import dev.kvasir.template.ChatConversation;
import dev.kvasir.template.ChatMessage;
import dev.kvasir.template.ChatPrompt;
import dev.kvasir.workflow.CacheIdentity;
import dev.kvasir.workflow.CacheKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation and its KV cache, persisted together in a .kvc file: the messages as JSON metadata,
 * the cache holding the rendered conversation's tokens. Each turn re-renders the whole conversation
 * with the chat template and reuses the longest common token prefix, so only the new turn is computed.
 */
final class ChatSession {
    static final String MESSAGES = "chat.messages";

    private final Generator generator;
    private final ChatPrompt chatPrompt;
    private final List<ChatMessage> messages;
    private PromptCache cache;
    private Path file;

    private ChatSession(Generator generator, ChatPrompt chatPrompt, List<ChatMessage> messages, PromptCache cache, Path file) {
        this.generator = generator;
        this.chatPrompt = chatPrompt;
        this.messages = messages;
        this.cache = cache;
        this.file = file;
    }

    /** {@code template}: a --chat-template file, or null for the model's own template (else ChatML). */
    static ChatSession open(Generator generator, Path file, String system, Path template, CliIo io) {
        var model = generator.model();
        ChatPrompt prompt = ChatPrompt.of(model.gguf().metadata(), generator.tokenizer(),
                model.gguf().path().getFileName().toString(), template);
        var identity = CacheIdentity.of(model);
        if (file != null && Files.exists(file)) {
            PromptCache pc = CacheFiles.load(file, identity, io);
            if (!CacheKeys.CHAT.equals(pc.metadata().get(CacheKeys.KIND))) {
                throw new KvasirException(file + ": not a chat session (kind '" + pc.metadata().get(CacheKeys.KIND)
                        + "'); give a new file or one written by 'kvasir chat'");
            }
            GenerateCacheOptions.markUsed(file);
            return new ChatSession(generator, prompt, parse(pc.metadata().get(MESSAGES), file), pc, file);
        }
        if (file != null) {
            CacheFiles.checkWritable(file);
        }
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        PromptCache pc = PromptCache.create(identity, CacheOptions.full());
        pc.putMetadata(CacheKeys.KIND, CacheKeys.CHAT);
        pc.putMetadata(CacheKeys.MODEL_FILE, model.gguf().path().toAbsolutePath().toString());
        return new ChatSession(generator, prompt, messages, pc, file);
    }

    PromptCache cache() {
        return cache;
    }

    Path file() {
        return file;
    }

    List<ChatMessage> messages() {
        return List.copyOf(messages);
    }

    /** The ids of the conversation plus {@code user}, ending with the assistant's header. */
    int[] promptFor(String user) {
        List<ChatMessage> next = new ArrayList<>(messages);
        next.add(ChatMessage.user(user));
        return chatPrompt.tokens(generator.tokenizer(), ChatConversation.of(next, true));
    }

    /** Records a finished turn: the messages and the ids the generation fed to the cache, then saves. */
    void record(String user, String answer, int[] sequence) {
        cache.accepted(java.util.Arrays.copyOfRange(sequence, cache.size(), cache.cache().size()));
        messages.add(ChatMessage.user(user));
        messages.add(ChatMessage.assistant(answer));
        save();
    }

    /** Drops the last user/assistant turn, trimming the cache back to what the rest renders to. */
    boolean undo() {
        int lastUser = messages.size() - 2;
        if (lastUser < 0 || !"user".equals(messages.get(lastUser).role())) {
            return false;
        }
        messages.subList(lastUser, messages.size()).clear();
        int keep = messages.isEmpty() ? 0
                : cache.commonPrefix(chatPrompt.tokens(generator.tokenizer(), ChatConversation.of(messages, false)));
        if (cache.trim(cache.size() - keep) == 0 && keep < cache.size()) {
            cache.clear();
        }
        save();
        return true;
    }

    /** Forgets everything but the system message. */
    void reset() {
        messages.removeIf(m -> !"system".equals(m.role()));
        cache.clear();
        save();
    }

    /** Continues in a copy saved to {@code target}; the current file keeps the conversation so far. */
    void fork(Path target) {
        CacheFiles.checkWritable(target);
        cache = cache.fork();
        file = target;
        save();
    }

    /** Writes the session file (appending the new tokens when the file holds a prefix); no-op without --session. */
    boolean save() {
        if (file == null) {
            return false;
        }
        cache.putMetadata(MESSAGES, Json.write(messages.stream()
                .map(m -> List.of(m.role(), m.content() == null ? "" : m.content())).toList()));
        cache.save(file);
        return true;
    }

    private static List<ChatMessage> parse(String json, Path file) {
        List<ChatMessage> out = new ArrayList<>();
        try {
            for (Object o : (List<?>) Json.parse(json == null ? "[]" : json)) {
                List<?> pair = (List<?>) o;
                out.add(new ChatMessage((String) pair.get(0), (String) pair.get(1), null, null, null));
            }
        } catch (RuntimeException e) {
            throw new KvasirException(file + ": the session's messages are damaged (" + e.getMessage() + "); start a new session");
        }
        return out;
    }
}
