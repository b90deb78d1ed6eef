package dev.kvasir.langchain4j;

import dev.kvasir.api.KvasirModel;
import dev.kvasir.api.Params;
import dev.kvasir.api.Result;
import dev.kvasir.template.ChatMessage;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the chat and the streaming model share: LangChain4j messages and parameters to the facade's, and
 * its results back. A setting Kvasir cannot honour is an {@link UnsupportedFeatureException}, never ignored.
 */
final class Bridge {
    private final KvasirModel model;
    private final boolean owned;
    private final Params defaults;
    private final ChatRequestParameters defaultParameters;

    Bridge(KvasirBuilder<?> builder) {
        boolean[] own = new boolean[1];
        this.defaults = builder.params();
        this.model = builder.resolveModel(own);
        this.owned = own[0];
        var s = defaults.sampling();
        this.defaultParameters = DefaultChatRequestParameters.builder()
                .modelName(model.name())
                .temperature((double) s.temperature())
                .topP((double) s.topP())
                .topK(s.topK())
                .frequencyPenalty((double) s.frequencyPenalty())
                .presencePenalty((double) s.presencePenalty())
                .maxOutputTokens(defaults.maxTokens())
                .stopSequences(defaults.stop())
                .build();
    }

    KvasirModel model() {
        return model;
    }

    ChatRequestParameters defaultParameters() {
        return defaultParameters;
    }

    /** The facade's parameters for a request whose parameters were already merged with {@link #defaultParameters}. */
    Params params(ChatRequestParameters p) {
        if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
            throw new UnsupportedFeatureException("tools are not supported by the Kvasir provider yet");
        }
        if (p.responseFormat() != null && p.responseFormat().type() == ResponseFormatType.JSON) {
            throw new UnsupportedFeatureException("JSON response formats are not supported by the Kvasir provider yet");
        }
        if (p.modelName() != null && !p.modelName().equals(model.name())) {
            throw new UnsupportedFeatureException("this provider serves " + model.name() + ", not " + p.modelName()
                    + "; load that model in another KvasirChatModel");
        }
        var s = defaults.sampling();
        if (p.temperature() != null) {
            s = s.withTemperature(p.temperature().floatValue());
        }
        if (p.topP() != null) {
            s = s.withTopP(p.topP().floatValue());
        }
        if (p.topK() != null) {
            s = s.withTopK(p.topK());
        }
        s = s.withFrequencyAndPresencePenalty(
                p.frequencyPenalty() == null ? s.frequencyPenalty() : p.frequencyPenalty().floatValue(),
                p.presencePenalty() == null ? s.presencePenalty() : p.presencePenalty().floatValue());
        Params out = defaults.withSampling(s);
        if (p.maxOutputTokens() != null) {
            out = out.withMaxTokens(p.maxOutputTokens());
        }
        if (p.stopSequences() != null) {
            out = out.withStop(p.stopSequences());
        }
        return out;
    }

    Params params(ChatRequest request) {
        return params(request.parameters());
    }

    static List<ChatMessage> messages(List<dev.langchain4j.data.message.ChatMessage> in) {
        List<ChatMessage> out = new ArrayList<>(in.size());
        for (var m : in) {
            out.add(switch (m) {
                case SystemMessage s -> ChatMessage.system(s.text());
                case UserMessage u -> new ChatMessage("user", text(u), null, null, u.name());
                case AiMessage a -> new ChatMessage("assistant", a.text(),
                        a.hasToolExecutionRequests() ? toolCalls(a.toolExecutionRequests()) : null, null, null);
                case ToolExecutionResultMessage t -> ChatMessage.tool(t.text(), t.id(), t.toolName());
                default -> throw new UnsupportedFeatureException("messages of type " + m.type()
                        + " are not supported by the Kvasir provider");
            });
        }
        return out;
    }

    private static String text(UserMessage u) {
        if (u.hasSingleText()) {
            return u.singleText();
        }
        StringBuilder text = new StringBuilder();
        for (Content c : u.contents()) {
            if (!(c instanceof TextContent t)) {
                throw new UnsupportedFeatureException(c.type() + " content is not supported: Kvasir's models read text only");
            }
            text.append(t.text());
        }
        return text.toString();
    }

    /** OpenAI's shape, which chat templates read. */
    private static List<Map<String, Object>> toolCalls(List<ToolExecutionRequest> requests) {
        List<Map<String, Object>> calls = new ArrayList<>();
        for (ToolExecutionRequest r : requests) {
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", r.name());
            function.put("arguments", r.arguments());
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("id", r.id());
            call.put("type", "function");
            call.put("function", function);
            calls.add(call);
        }
        return calls;
    }

    ChatResponse response(Result r) {
        TokenUsage usage = new TokenUsage(r.promptTokens(), r.generatedTokens().length);
        FinishReason finish = switch (r.stopReason()) {
            case MAX_TOKENS, CONTEXT_FULL -> FinishReason.LENGTH;
            case END_OF_GENERATION, STOP_STRING -> FinishReason.STOP;
            case CANCELLED -> FinishReason.OTHER;
        };
        return ChatResponse.builder()
                .aiMessage(AiMessage.from(r.text()))
                .metadata(KvasirChatResponseMetadata.builder()
                        .modelName(model.name())
                        .tokenUsage(usage)
                        .finishReason(finish)
                        .cachedTokens(r.cachedTokens())
                        .computedTokens(r.computedTokens())
                        .build())
                .build();
    }

    void close() {
        if (owned) {
            model.close();
        }
    }
}
