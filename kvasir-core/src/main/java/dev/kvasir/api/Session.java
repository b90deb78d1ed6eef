package dev.kvasir.api;

import dev.kvasir.cache.PromptCache;
import dev.kvasir.generate.TokenListener;
import dev.kvasir.template.ChatMessage;
import dev.kvasir.workflow.Conversation;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A conversation that owns its prompt cache: each {@link #send} computes only the new turn, {@link #save}
 * appends the new tokens to a .kvc file, and {@link #open} continues it later (also in another process,
 * or with {@code kvasir chat --session FILE}: the file format is the same). Not thread-safe: use a session
 * from one thread at a time (different sessions of one model may run in parallel).
 */
public final class Session {
    private final KvasirModel model;
    private final Conversation conversation;

    Session(KvasirModel model, Conversation conversation) {
        this.model = model;
        this.conversation = conversation;
    }

    /**
     * Continues a session saved to {@code file} (by {@link #save} or {@code kvasir chat --session}). A file of
     * another model, or one that is not a chat session, throws a {@link dev.kvasir.KvasirException} naming it.
     */
    public static Session open(KvasirModel model, Path file) {
        PromptCache pc = PromptCache.load(file, dev.kvasir.workflow.CacheIdentity.of(model.generator().model()));
        return new Session(model, Conversation.restore(model.chatPrompt(), model.generator().tokenizer(), pc, file.toString()));
    }

    /**
     * Adds {@code user} to the conversation and returns the assistant's answer, streaming it to {@code listener};
     * {@link Params#format()} applies, tools are refused (sessions store text turns only).
     */
    public Result send(String user, Params params, TokenListener listener) {
        if (!params.tools().isEmpty()) {
            throw new IllegalArgumentException("sessions do not take tools yet; use KvasirModel.chat(messages, params) for tool calls");
        }
        int[] prompt = conversation.promptFor(user);
        Result r = model.runner().run(conversation.cache(), prompt, params, Conversation.TURN_STOPS,
                model.formatConstraint(params.format()), listener);
        int[] sequence = IntStream.concat(Arrays.stream(prompt), Arrays.stream(r.generatedTokens())).toArray();
        conversation.record(user, r.text(), sequence);
        return r;
    }

    /** {@link #send(String, Params, TokenListener)} without streaming. */
    public Result send(String user, Params params) {
        return send(user, params, (id, text) -> {});
    }

    /** The messages so far (system, then user and assistant turns). */
    public List<ChatMessage> messages() {
        return conversation.messages();
    }

    /** Token ids the session's cache holds (what the next turn does not compute again). */
    public int cachedTokens() {
        return conversation.cache().size();
    }

    /**
     * Saves to {@code file}: when the session was opened from or saved to that file, only the new tokens are
     * appended; otherwise the whole file is written atomically. Returns the bytes written.
     */
    public long save(Path file) {
        return conversation.cache().save(file);
    }

    /** An independent copy (the cache is shared copy-on-write): continuing either never changes the other. */
    public Session fork() {
        return new Session(model, conversation.fork());
    }

    /** Drops the last {@code messages} messages; the cache is trimmed to what the remaining ones render to. */
    public void trim(int messages) {
        conversation.trim(messages);
    }

    /** Drops the last user/assistant turn; false when there is none. */
    public boolean undo() {
        return conversation.undo();
    }
}
