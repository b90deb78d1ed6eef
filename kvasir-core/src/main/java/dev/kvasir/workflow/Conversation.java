package dev.kvasir.workflow;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.json.Json;
import dev.kvasir.template.ChatConversation;
import dev.kvasir.template.ChatMessage;
import dev.kvasir.template.ChatPrompt;
import dev.kvasir.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A chat and the prompt cache holding its rendered tokens, in the shape a .kvc chat session file stores
 * them (kind {@link CacheKeys#CHAT}, the messages as JSON under {@link #MESSAGES}). Each turn re-renders
 * the whole conversation with the chat template; the cache keeps the longest common token prefix, so
 * only the new turn is computed. Shared by {@code kvasir chat} and the Java facade's sessions, so a file
 * written by one continues in the other. Not thread-safe.
 */
public final class Conversation {
    /** The metadata key holding the messages: a JSON list of [role, content] pairs. */
    public static final String MESSAGES = "chat.messages";
    /**
     * Stop strings of every chat turn: ChatML's end of turn, which the fallback template writes and which
     * models without it as a special token (stories260K) print as text.
     */
    public static final List<String> TURN_STOPS = List.of("<|im_end|>");

    private final ChatPrompt chatPrompt;
    private final Tokenizer tokenizer;
    private final List<ChatMessage> messages;
    private PromptCache cache;

    private Conversation(ChatPrompt chatPrompt, Tokenizer tokenizer, List<ChatMessage> messages, PromptCache cache) {
        this.chatPrompt = chatPrompt;
        this.tokenizer = tokenizer;
        this.messages = new ArrayList<>(messages);
        this.cache = cache;
    }

    /** A new conversation in an empty cache, with {@code system} (nullable) as its first message. */
    public static Conversation start(ChatPrompt chatPrompt, Tokenizer tokenizer, PromptCache empty, String system) {
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        empty.putMetadata(CacheKeys.KIND, CacheKeys.CHAT);
        return new Conversation(chatPrompt, tokenizer, messages, empty);
    }

    /** The conversation a loaded chat session file holds; {@code file} names it in one-line errors. */
    public static Conversation restore(ChatPrompt chatPrompt, Tokenizer tokenizer, PromptCache loaded, String file) {
        if (!CacheKeys.CHAT.equals(loaded.metadata().get(CacheKeys.KIND))) {
            throw new KvasirException(file + ": not a chat session (kind '" + loaded.metadata().get(CacheKeys.KIND)
                    + "'); give a new file or one written by 'kvasir chat'");
        }
        return new Conversation(chatPrompt, tokenizer, parse(loaded.metadata().get(MESSAGES), file), loaded);
    }

    public PromptCache cache() {
        return cache;
    }

    public List<ChatMessage> messages() {
        return List.copyOf(messages);
    }

    /** The ids of the conversation plus {@code user}, ending with the assistant's header. */
    public int[] promptFor(String user) {
        List<ChatMessage> next = new ArrayList<>(messages);
        next.add(ChatMessage.user(user));
        return chatPrompt.tokens(tokenizer, ChatConversation.of(next, true));
    }

    /**
     * Records a finished turn: the messages, and the ids the generation fed to the cache ({@code sequence}
     * is the prompt followed by the generated ids; the cache holds a prefix of it).
     */
    public void record(String user, String answer, int[] sequence) {
        cache.accepted(Arrays.copyOfRange(sequence, cache.size(), cache.cache().size()));
        messages.add(ChatMessage.user(user));
        messages.add(ChatMessage.assistant(answer));
        writeMessages();
    }

    /** Drops the last user/assistant turn, trimming the cache back to what the rest renders to. */
    public boolean undo() {
        int lastUser = messages.size() - 2;
        if (lastUser < 0 || !"user".equals(messages.get(lastUser).role())) {
            return false;
        }
        trim(2);
        return true;
    }

    /** Drops the last {@code n} messages (at most all of them), trimming the cache to what the rest renders to. */
    public void trim(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot trim a negative number of messages: " + n);
        }
        messages.subList(Math.max(0, messages.size() - n), messages.size()).clear();
        int keep = messages.isEmpty() ? 0
                : cache.commonPrefix(chatPrompt.tokens(tokenizer, ChatConversation.of(messages, false)));
        if (cache.trim(cache.size() - keep) == 0 && keep < cache.size()) {
            cache.clear();
        }
        writeMessages();
    }

    /** Forgets everything but the system message. */
    public void reset() {
        messages.removeIf(m -> !"system".equals(m.role()));
        cache.clear();
        writeMessages();
    }

    /** Continues in a copy of the cache (not attached to any file); the old cache is left as it was. */
    public void detach() {
        cache = cache.fork();
        writeMessages();
    }

    /** An independent copy: the same messages over a copy-on-write fork of the cache. */
    public Conversation fork() {
        Conversation copy = new Conversation(chatPrompt, tokenizer, messages, cache.fork());
        copy.writeMessages();
        return copy;
    }

    /** Puts the messages into the cache's metadata, where a save persists them. */
    private void writeMessages() {
        cache.putMetadata(MESSAGES, Json.write(messages.stream()
                .map(m -> List.of(m.role(), m.content() == null ? "" : m.content())).toList()));
    }

    private static List<ChatMessage> parse(String json, String file) {
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
