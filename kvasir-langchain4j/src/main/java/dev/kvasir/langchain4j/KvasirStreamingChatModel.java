package dev.kvasir.langchain4j;

import dev.kvasir.api.KvasirModel;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.Set;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

/**
 * A LangChain4j {@link StreamingChatModel} running a GGUF model in this JVM, with the prompt reuse of
 * {@link KvasirChatModel}. The answer is generated on the calling thread: {@code onPartialResponse} gets each
 * piece of text as it becomes final (never half a character or part of a stop string), then
 * {@code onCompleteResponse} the whole answer; the pieces concatenate to exactly its text (with tools, the text
 * comes in one piece at the end, since a call is only told from text once complete). Any failure goes to
 * {@code onError}. Thread-safe; close it to unload a model it loaded from {@code modelPath}.
 */
public final class KvasirStreamingChatModel implements StreamingChatModel, AutoCloseable {
    private final Bridge bridge;

    private KvasirStreamingChatModel(Builder builder) {
        this.bridge = new Bridge(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        ChatResponse response;
        try {
            var params = bridge.params(request);
            response = bridge.response(bridge.model().chat(Bridge.messages(request.messages()), params, (id, text) -> {
                if (!text.isEmpty()) {
                    handler.onPartialResponse(text);
                }
            }));
        } catch (RuntimeException e) {
            handler.onError(e);
            return;
        }
        handler.onCompleteResponse(response);
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return bridge.defaultParameters();
    }

    /** JSON schemas are enforced while sampling, so LangChain4j may ask for structured output natively. */
    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /** The loaded model, e.g. to share it with a {@link KvasirChatModel}. */
    public KvasirModel model() {
        return bridge.model();
    }

    @Override
    public void close() {
        bridge.close();
    }

    /** Builds a {@link KvasirStreamingChatModel}; see {@link KvasirBuilder} for the settings. */
    public static final class Builder extends KvasirBuilder<Builder> {
        private Builder() {}

        /** Loads the model (when {@code modelPath} was given); a bad file throws a one-line KvasirException. */
        public KvasirStreamingChatModel build() {
            return new KvasirStreamingChatModel(this);
        }
    }
}
