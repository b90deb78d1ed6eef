package dev.kvasir.server;

import dev.kvasir.sample.SamplerSettings;
import dev.kvasir.template.ChatMessage;
import java.util.List;

/**
 * A parsed {@code /v1/chat/completions} ({@code messages}) or {@code /v1/completions} ({@code prompt})
 * request.
 *
 * @param messages     the chat history (chat), else null
 * @param prompt       the prompt text (completions), else null
 * @param maxTokens    tokens to generate at most; -1: until the model stops or the context is full
 * @param includeUsage streaming: send a last chunk with usage ({@code stream_options.include_usage})
 * @param features     response_format, tools, logprobs and n
 * @param compose      completions: the {@code kvasir_compose} extension (cached documents before the prompt), else null
 */
record CompletionRequest(List<ChatMessage> messages, String prompt, int maxTokens, SamplerSettings sampling,
                         List<String> stop, boolean stream, boolean includeUsage, Features features, ComposeSpec compose) {

    boolean isChat() {
        return messages != null;
    }
}
