package dev.kvasir.server;

import dev.kvasir.generate.Cancellation;
import dev.kvasir.generate.GenerationRequest;
import dev.kvasir.generate.GenerationResult;
import dev.kvasir.generate.Generator;
import dev.kvasir.sample.Sampler;
import dev.kvasir.sample.SamplerSettings;
import dev.kvasir.template.ChatConversation;
import dev.kvasir.template.ChatMessage;
import dev.kvasir.template.ChatPrompt;
import java.nio.file.Path;
import java.util.List;

/**
 * The reference the server must match: what {@code kvasir generate --temp 0} computes for a prompt's
 * token ids (the same core calls as GenerateCommand: a fresh cache, the whole prompt as input), in
 * this test's own model instance, so nothing is shared with the server's prompt cache.
 */
final class FreshGeneration implements AutoCloseable {
    private final Generator generator;
    private final ChatPrompt chat;

    FreshGeneration(Path model) {
        this.generator = Generator.load(model);
        String name = model.getFileName().toString();
        this.chat = ChatPrompt.of(generator.model().gguf().metadata(), generator.tokenizer(),
                name.substring(0, name.length() - ".gguf".length()));
    }

    /** The chat prompt's ids, rendered with a generation prompt (as /v1/chat/completions does). */
    int[] chatTokens(List<ChatMessage> messages) {
        return chat.tokens(generator.tokenizer(), ChatConversation.of(messages, true));
    }

    /** A plain prompt's ids, as {@code kvasir generate -p TEXT} tokenizes it. */
    int[] promptTokens(String text) {
        return generator.tokenize(text);
    }

    GenerationResult greedy(int[] prompt, int maxTokens) {
        return generate(prompt, maxTokens, SamplerSettings.defaults().withTemperature(0));
    }

    GenerationResult generate(int[] prompt, int maxTokens, SamplerSettings settings) {
        var request = new GenerationRequest(prompt, maxTokens, new Sampler(settings), List.of(), new Cancellation());
        return generator.generate(request, generator.newCache(), (id, text) -> { });
    }

    @Override
    public void close() {
        generator.close();
    }
}
