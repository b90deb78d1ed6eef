package dev.kvasir.cli;

import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.generate.Generator;
import dev.kvasir.template.ChatMessage;
import dev.kvasir.template.ChatPrompt;
import dev.kvasir.workflow.CacheIdentity;
import dev.kvasir.workflow.CacheKeys;
import dev.kvasir.workflow.Conversation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link Conversation} and the .kvc file it is persisted in (the file handling of {@code --session},
 * {@code /fork} and {@code /save}); the conversation logic itself lives in core, shared with the Java facade.
 */
final class ChatSession {
    private final Conversation conversation;
    private Path file;

    private ChatSession(Conversation conversation, Path file) {
        this.conversation = conversation;
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
            Conversation c = Conversation.restore(prompt, generator.tokenizer(), pc, file.toString());
            GenerateCacheOptions.markUsed(file);
            return new ChatSession(c, file);
        }
        if (file != null) {
            CacheFiles.checkWritable(file);
        }
        PromptCache pc = PromptCache.create(identity, CacheOptions.full());
        Conversation c = Conversation.start(prompt, generator.tokenizer(), pc, system);
        pc.putMetadata(CacheKeys.MODEL_FILE, model.gguf().path().toAbsolutePath().toString());
        return new ChatSession(c, file);
    }

    PromptCache cache() {
        return conversation.cache();
    }

    Path file() {
        return file;
    }

    List<ChatMessage> messages() {
        return conversation.messages();
    }

    /** The ids of the conversation plus {@code user}, ending with the assistant's header. */
    int[] promptFor(String user) {
        return conversation.promptFor(user);
    }

    /** Records a finished turn: the messages and the ids the generation fed to the cache, then saves. */
    void record(String user, String answer, int[] sequence) {
        conversation.record(user, answer, sequence);
        save();
    }

    /** Drops the last user/assistant turn, trimming the cache back to what the rest renders to. */
    boolean undo() {
        boolean undone = conversation.undo();
        if (undone) {
            save();
        }
        return undone;
    }

    /** Forgets everything but the system message. */
    void reset() {
        conversation.reset();
        save();
    }

    /** Continues in a copy saved to {@code target}; the current file keeps the conversation so far. */
    void fork(Path target) {
        CacheFiles.checkWritable(target);
        conversation.detach();
        file = target;
        save();
    }

    /** Writes the session file (appending the new tokens when the file holds a prefix); no-op without --session. */
    boolean save() {
        if (file == null) {
            return false;
        }
        conversation.cache().save(file);
        return true;
    }
}
