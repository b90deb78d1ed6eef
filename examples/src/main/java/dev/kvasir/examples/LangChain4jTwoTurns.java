package dev.kvasir.examples;

import dev.kvasir.langchain4j.KvasirChatModel;
import dev.kvasir.langchain4j.KvasirChatResponseMetadata;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.nio.file.Path;

/**
 * Two turns through LangChain4j's ChatModel and a MessageWindowChatMemory: the second call starts from the
 * first one's cached tokens (kept as .kvc files in the cache directory, so a rerun even reuses the first turn).
 * Args: [MODEL.gguf] [CACHE_DIR].
 */
public class LangChain4jTwoTurns {
    public static void main(String[] args) {
        Path model = Path.of(args.length > 0 ? args[0] : "../shared/models/stories260K.gguf");
        Path cacheDir = Path.of(args.length > 1 ? args[1] : "kvasir-cache");
        try (KvasirChatModel chat = KvasirChatModel.builder().modelPath(model).cacheDir(cacheDir)
                .temperature(0.0).maxTokens(40).build()) {
            ChatMemory memory = MessageWindowChatMemory.withMaxMessages(10);
            memory.add(SystemMessage.from("You are a storyteller."));
            for (String question : new String[] {"Tell me about a cat.", "What did the cat eat?"}) {
                memory.add(UserMessage.from(question));
                ChatResponse response = chat.chat(memory.messages());
                memory.add(response.aiMessage());
                var m = (KvasirChatResponseMetadata) response.metadata();
                System.out.printf("user: %s%nassistant: %s%n[%d prompt tokens: %d cached, %d computed]%n", question,
                        response.aiMessage().text(), m.tokenUsage().inputTokenCount(), m.cachedTokens(), m.computedTokens());
            }
        }
    }
}
