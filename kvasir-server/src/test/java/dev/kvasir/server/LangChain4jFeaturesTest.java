package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvasir.SharedData;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.FinishReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LangChain4j's OpenAI client (langchain4j-open-ai) uses JSON schema output and a tools round trip against the server. */
class LangChain4jFeaturesTest {
    static KvasirServer server;
    static OpenAiChatModel chat;

    @BeforeAll
    static void start() {
        server = KvasirServer.start(ServerConfig.of(SharedData.model("stories260K.gguf")).withPort(0).withApiKey("k1"));
        chat = OpenAiChatModel.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey("k1")
                .modelName(server.modelId()).temperature(0.0).maxTokens(120).strictJsonSchema(true)
                .strictTools(true).timeout(Duration.ofSeconds(120)).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void jsonSchemaResponseFormat() throws Exception {
        JsonObjectSchema person = JsonObjectSchema.builder().addEnumProperty("mood", List.of("happy", "sad"))
                .addIntegerProperty("age").addBooleanProperty("brave").required("mood", "age", "brave").build();
        ChatResponse r = chat.chat(ChatRequest.builder().messages(UserMessage.from("Describe Tom."))
                .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON)
                        .jsonSchema(JsonSchema.builder().name("person").rootElement(person).build()).build()).build());
        JsonNode json = Fields.MAPPER.readTree(r.aiMessage().text());
        assertThat(json.get("mood").asText()).isIn("happy", "sad");
        assertThat(json.get("age").isIntegralNumber()).isTrue();
        assertThat(json.get("brave").isBoolean()).isTrue();
        assertThat(json.size()).isEqualTo(3);
    }

    @Test
    void toolsRoundTrip() throws Exception {
        ToolSpecification weather = ToolSpecification.builder().name("get_weather").description("Weather of a city")
                .parameters(JsonObjectSchema.builder().addEnumProperty("city", List.of("Oslo", "Rome"))
                        .required("city").build()).build();
        List<ChatMessage> messages = new ArrayList<>(List.of(UserMessage.from("Is it sunny in Oslo?")));
        ChatResponse first = chat.chat(ChatRequest.builder().messages(messages).toolSpecifications(weather)
                .toolChoice(ToolChoice.REQUIRED).build());
        assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        ToolExecutionRequest call = first.aiMessage().toolExecutionRequests().get(0);
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(Fields.MAPPER.readTree(call.arguments()).get("city").asText()).isIn("Oslo", "Rome");
        messages.add(first.aiMessage());
        messages.add(ToolExecutionResultMessage.from(call, "Sunny"));
        ChatResponse second = chat.chat(ChatRequest.builder().messages(messages).toolSpecifications(weather)
                .toolChoice(ToolChoice.AUTO).maxOutputTokens(12).build());
        assertThat(second.aiMessage().text()).isNotBlank();
        assertThat(second.tokenUsage().inputTokenCount()).isGreaterThan(first.tokenUsage().inputTokenCount());
    }
}
