package dev.kvasir.langchain4j;

import dev.kvasir.api.KvasirModel;
import dev.kvasir.api.Params;
import dev.kvasir.api.ResponseFormat;
import dev.kvasir.api.Result;
import dev.kvasir.api.ToolChoice;
import dev.kvasir.json.Json;
import dev.kvasir.template.ChatMessage;
import dev.kvasir.tools.Tool;
import dev.kvasir.tools.ToolCall;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the chat and the streaming model share: LangChain4j messages and parameters to the facade's
 * (tool specifications, tool choice and JSON response formats included), and its results back. A setting
 * Kvasir cannot honour is an {@link UnsupportedFeatureException}, never ignored.
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
        if (p.responseFormat() != null && p.responseFormat().type() == ResponseFormatType.JSON) {
            var schema = p.responseFormat().jsonSchema();
            out = out.withFormat(schema == null ? ResponseFormat.jsonObject()
                    : ResponseFormat.jsonSchema(Json.write(JsonSchemaElementUtils.toMap(schema.rootElement()))));
        }
        List<ToolSpecification> specs = p.toolSpecifications() == null ? List.of() : p.toolSpecifications();
        if (!specs.isEmpty()) {
            out = out.withTools(specs.stream().map(Bridge::tool).toList(), toolChoice(p.toolChoice()));
        } else if (p.toolChoice() == dev.langchain4j.model.chat.request.ToolChoice.REQUIRED) {
            throw new UnsupportedFeatureException("toolChoice REQUIRED needs at least one tool specification");
        }
        return out;
    }

    /** A LangChain4j tool as core's: its parameters schema as JSON values (an empty object schema when it has none). */
    private static Tool tool(ToolSpecification spec) {
        Object parameters = spec.parameters() == null ? null
                : Json.parse(Json.write(JsonSchemaElementUtils.toMap(spec.parameters())));
        return new Tool(spec.name(), spec.description(), parameters);
    }

    private static ToolChoice toolChoice(dev.langchain4j.model.chat.request.ToolChoice choice) {
        return choice == null ? ToolChoice.AUTO : switch (choice) {
            case AUTO -> ToolChoice.AUTO;
            case REQUIRED -> ToolChoice.REQUIRED;
            case NONE -> ToolChoice.NONE;
        };
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
        return requests.stream().map(r -> new ToolCall(r.id(), r.name(), r.arguments()).templateValue()).toList();
    }

    ChatResponse response(Result r) {
        TokenUsage usage = new TokenUsage(r.promptTokens(), r.generatedTokens().length);
        FinishReason finish = !r.toolCalls().isEmpty() ? FinishReason.TOOL_EXECUTION : switch (r.stopReason()) {
            case MAX_TOKENS, CONTEXT_FULL -> FinishReason.LENGTH;
            case END_OF_GENERATION, STOP_STRING -> FinishReason.STOP;
            case CANCELLED -> FinishReason.OTHER;
        };
        List<ToolExecutionRequest> calls = r.toolCalls().stream().map(c -> ToolExecutionRequest.builder()
                .id(c.id()).name(c.name()).arguments(c.arguments()).build()).toList();
        AiMessage message = calls.isEmpty() ? AiMessage.from(r.text())
                : AiMessage.from(r.text().isEmpty() ? null : r.text(), calls);
        return ChatResponse.builder()
                .aiMessage(message)
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
