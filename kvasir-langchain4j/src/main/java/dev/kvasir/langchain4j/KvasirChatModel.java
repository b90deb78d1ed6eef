package dev.kvasir.langchain4j;

import dev.kvasir.api.KvasirModel;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.Set;

/**
 * A LangChain4j {@link ChatModel} running a GGUF model in this JVM. Each call renders the messages with the
 * model's chat template and starts from the longest cached token prefix of earlier calls, so the next call
 * of a conversation computes only its new tokens, whichever {@code ChatMemory} holds the messages; with
 * {@link Builder#cacheDir} the caches are .kvc files that survive a restart. The response metadata is a
 * {@link KvasirChatResponseMetadata} (cached and computed prompt tokens). Tool specifications are rendered in
 * the template's tool format and the calls come back as {@code ToolExecutionRequest}s ({@code ToolChoice.REQUIRED}
 * forces one valid call while sampling); JSON response formats, with or without a schema, are enforced while
 * sampling too.
 *
 * <p>Thread-safe (calls share the model; their forward passes are serialized). Close it to unload a model
 * it loaded from {@code modelPath}.
 */
public final class KvasirChatModel implements ChatModel, AutoCloseable {
    private final Bridge bridge;

    private KvasirChatModel(Builder builder) {
        this.bridge = new Bridge(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        var params = bridge.params(request);
        return bridge.response(bridge.model().chat(Bridge.messages(request.messages()), params));
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

    /** The loaded model, e.g. to share it with a {@link KvasirStreamingChatModel} or a {@link KvasirTokenCountEstimator}. */
    public KvasirModel model() {
        return bridge.model();
    }

    @Override
    public void close() {
        bridge.close();
    }

    /** Builds a {@link KvasirChatModel}; see {@link KvasirBuilder} for the settings. */
    public static final class Builder extends KvasirBuilder<Builder> {
        private Builder() {}

        /** Loads the model (when {@code modelPath} was given); a bad file throws a one-line KvasirException. */
        public KvasirChatModel build() {
            return new KvasirChatModel(this);
        }
    }
}
