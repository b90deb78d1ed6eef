package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.kvasir.SharedData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK against a real server on stories260K (RAM prompt cache on): JSON schema,
 * streaming multi-turn with growing cached_tokens, tools round trip (forced, named, streamed), logprobs and n = 2.
 */
class OpenAiSdkTest {
    static KvasirServer server;
    static OpenAIClient client;
    static final String PERSON = """
            {"type": "object", "properties": {"name": {"type": "string", "maxLength": 12},
             "age": {"type": "integer", "minimum": 0, "maximum": 120}, "pets": {"type": "array", "maxItems": 2,
             "items": {"enum": ["cat", "dog"]}}}, "required": ["name", "age", "pets"], "additionalProperties": false}""";
    static final String WEATHER_PARAMS = """
            {"type": "object", "properties": {"city": {"type": "string", "maxLength": 16},
             "unit": {"enum": ["celsius", "fahrenheit"]}}, "required": ["city", "unit"], "additionalProperties": false}""";

    static final String TIME_PARAMS = """
            {"type": "object", "properties": {"zone": {"enum": ["UTC", "CET"]}}, "required": ["zone"]}""";

    @BeforeAll
    static void start() {
        Path model = SharedData.model("stories260K.gguf");
        server = KvasirServer.start(ServerConfig.of(model).withPort(0).withApiKey("k1"));
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey("k1")
                .timeout(Duration.ofSeconds(120)).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static Map<String, JsonValue> schema(String json) {
        try {
            Map<String, Object> m = Fields.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
            Map<String, JsonValue> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, JsonValue.from(v)));
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void assertValid(String schema, String json) {
        var errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema, InputFormat.JSON)
                .validate(json, InputFormat.JSON);
        assertThat(errors).as(json).isEmpty();
    }

    ChatCompletionCreateParams.Builder base(String user) {
        return ChatCompletionCreateParams.builder().model(server.modelId()).addUserMessage(user).maxCompletionTokens(200);
    }

    @Test
    void jsonSchemaIsEnforced() {
        for (double temperature : new double[] {0.0, 1.0}) {
            ChatCompletion c = client.chat().completions().create(base("Tell me about Tim.").temperature(temperature).seed(7)
                    .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                            .name("person").strict(true).schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                    .putAllAdditionalProperties(schema(PERSON)).build()).build()).build()).build());
            String content = c.choices().get(0).message().content().orElseThrow();
            assertValid(PERSON, content);
            assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        }
    }

    @Test
    void streamingMultiTurnReusesTheCache() {
        ChatCompletionCreateParams.Builder chat = ChatCompletionCreateParams.builder().model(server.modelId())
                .maxCompletionTokens(12).temperature(0.0)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        long lastCached = -1;
        for (String user : List.of("Once upon a time there was a cat named Kitty.", "What did Kitty do?", "And then?")) {
            chat.addUserMessage(user);
            ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
            StringBuilder streamed = new StringBuilder();
            try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chat.build())) {
                s.stream().forEach(chunk -> {
                    acc.accumulate(chunk);
                    chunk.choices().forEach(ch -> ch.delta().content().ifPresent(streamed::append));
                });
            }
            ChatCompletion c = acc.chatCompletion();
            String answer = c.choices().get(0).message().content().orElse("");
            assertThat(answer).isEqualTo(streamed.toString()).isNotEmpty();
            long cached = c.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens().orElseThrow();
            assertThat(cached).isGreaterThan(lastCached);
            lastCached = cached;
            chat.addAssistantMessage(answer);
        }
        assertThat(lastCached).isGreaterThan(20);
    }

    static ChatCompletionFunctionTool tool(String name, String params) {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name(name)
                .description("Looks up " + name).parameters(FunctionParameters.builder()
                        .putAllAdditionalProperties(schema(params)).build()).build()).build();
    }

    @Test
    void toolsRoundTrip() {
        ChatCompletionCreateParams.Builder chat = base("What is the weather in Oslo?").temperature(0.0)
                .addTool(tool("get_weather", WEATHER_PARAMS)).addTool(tool("get_time", TIME_PARAMS))
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).parallelToolCalls(false);
        ChatCompletion first = client.chat().completions().create(chat.build());
        ChatCompletion.Choice choice = first.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageFunctionToolCall> calls = choice.message().toolCalls().orElseThrow().stream()
                .map(c -> c.asFunction()).toList();
        assertThat(calls).hasSize(1);
        ChatCompletionMessageFunctionToolCall call = calls.get(0);
        assertThat(call.function().name()).isIn("get_weather", "get_time");
        if (call.function().name().equals("get_weather")) {
            assertValid(WEATHER_PARAMS, call.function().arguments());
        }
        chat.addMessage(choice.message());
        chat.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("Sunny, 21 degrees").build());
        ChatCompletion second = client.chat().completions().create(chat
                .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE).maxCompletionTokens(16).build());
        assertThat(second.choices().get(0).message().content().orElse("")).isNotEmpty();
        assertThat(second.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(second.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens().orElseThrow())
                .as("the second request continues the first one's cached conversation").isGreaterThan(0);
    }

    @Test
    void namedToolChoiceStreamsOpenAiDeltas() {
        ChatCompletionCreateParams params = base("Weather please.").temperature(0.8).seed(3)
                .addTool(tool("get_time", "{\"type\": \"object\"}")).addTool(tool("get_weather", WEATHER_PARAMS))
                .toolChoice(ChatCompletionNamedToolChoice.builder().function(ChatCompletionNamedToolChoice.Function.builder()
                        .name("get_weather").build()).build()).build();
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
            s.stream().forEach(acc::accumulate);
        }
        ChatCompletion.Choice choice = acc.chatCompletion().choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(call.id()).startsWith("call_");
        assertValid(WEATHER_PARAMS, call.function().arguments());
    }

    @Test
    void logprobsHaveOpenAisShape() {
        ChatCompletion c = client.chat().completions().create(base("Lily saw a").temperature(0.0).maxCompletionTokens(8)
                .logprobs(true).topLogprobs(3).build());
        List<ChatCompletionTokenLogprob> lps = c.choices().get(0).logprobs().orElseThrow().content().orElseThrow();
        assertThat(lps).hasSize((int) c.usage().orElseThrow().completionTokens());
        StringBuilder text = new StringBuilder();
        for (ChatCompletionTokenLogprob lp : lps) {
            assertThat(lp.topLogprobs()).hasSize(3);
            assertThat(lp.logprob()).isLessThanOrEqualTo(0.0);
            assertThat(lp.topLogprobs().get(0).token()).as("greedy picks the most likely token").isEqualTo(lp.token());
            assertThat(lp.topLogprobs().get(0).logprob()).isEqualTo(lp.logprob());
            assertThat(lp.topLogprobs().get(1).logprob()).isLessThanOrEqualTo(lp.topLogprobs().get(0).logprob());
            double mass = lp.topLogprobs().stream().mapToDouble(t -> Math.exp(t.logprob())).sum();
            assertThat(mass).isLessThanOrEqualTo(1.0 + 1e-9);
            text.append(lp.token());
        }
        assertThat(text.toString()).isEqualTo(c.choices().get(0).message().content().orElseThrow());
    }

    @Test
    void twoChoicesShareOnePrefill() {
        ChatCompletion one = client.chat().completions().create(base("The dog ran to the").temperature(0.0)
                .maxCompletionTokens(10).build());
        ChatCompletion two = client.chat().completions().create(base("The dog ran to the").temperature(0.0)
                .maxCompletionTokens(10).n(2).build());
        assertThat(two.choices()).hasSize(2);
        assertThat(two.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L);
        String expected = one.choices().get(0).message().content().orElseThrow();
        // greedy choices from forks of one prefilled cache equal the single answer token for token
        assertThat(two.choices()).allSatisfy(ch -> assertThat(ch.message().content().orElseThrow()).isEqualTo(expected));
        assertThat(two.usage().orElseThrow().completionTokens()).isEqualTo(2 * one.usage().orElseThrow().completionTokens());
        ChatCompletion sampled = client.chat().completions().create(base("The dog ran to the").temperature(1.0).seed(11)
                .maxCompletionTokens(10).n(2).build());
        assertThat(sampled.choices().get(0).message().content()).isNotEqualTo(sampled.choices().get(1).message().content());
    }

    @Test
    void twoChoicesStreamWithTheirIndexes() {
        ChatCompletion one = client.chat().completions().create(base("The cat sat on the").temperature(0.0)
                .maxCompletionTokens(10).build());
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
                base("The cat sat on the").temperature(0.0).maxCompletionTokens(10).n(2).build())) {
            s.stream().forEach(acc::accumulate);
        }
        ChatCompletion two = acc.chatCompletion();
        assertThat(two.choices()).hasSize(2);
        String expected = one.choices().get(0).message().content().orElseThrow();
        assertThat(two.choices()).allSatisfy(ch -> assertThat(ch.message().content().orElseThrow()).isEqualTo(expected));
    }

    @Test
    void unsupportedFieldsAreRefusedByName() {
        assertThatThrownBy(() -> client.chat().completions().create(base("hi")
                .putAdditionalBodyProperty("logit_bias", JsonValue.from(Map.of("5", 10))).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("logit_bias");
        Http http = new Http(server.port(), "k1");
        JsonNode r = Http.json(http.post("/v1/chat/completions",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"functions\": []}"));
        assertThat(r.at("/error/param").asText()).isEqualTo("functions");
        JsonNode bad = Http.json(http.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}],"
                + " \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"x\", \"schema\":"
                + " {\"type\": \"array\", \"uniqueItems\": true}}}}"));
        assertThat(bad.at("/error/message").asText()).contains("uniqueItems");
    }

    @Test
    void completionsLogprobsHaveTheLegacyShape() {
        Http http = new Http(server.port(), "k1");
        JsonNode r = Http.json(http.post("/v1/completions", "{\"prompt\": \"Once upon a time\", \"max_tokens\": 5,"
                + " \"temperature\": 0, \"logprobs\": 2}"));
        JsonNode lp = r.at("/choices/0/logprobs");
        assertThat(lp.get("tokens")).hasSize(r.at("/usage/completion_tokens").asInt());
        assertThat(lp.get("token_logprobs")).hasSize(lp.get("tokens").size());
        assertThat(lp.get("top_logprobs").get(0).size()).isEqualTo(2);
        assertThat(lp.get("text_offset").get(0).asInt()).isZero();
        StringBuilder text = new StringBuilder();
        lp.get("tokens").forEach(t -> text.append(t.asText()));
        assertThat(text.toString()).isEqualTo(r.at("/choices/0/text").asText());
    }
}
