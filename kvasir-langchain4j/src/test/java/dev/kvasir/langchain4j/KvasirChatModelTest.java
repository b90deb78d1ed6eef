package dev.kvasir.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvasir.SharedData;
import dev.kvasir.api.Kvasir;
import dev.kvasir.api.KvasirModel;
import dev.kvasir.cli.CliIo;
import dev.kvasir.cli.Main;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider on the real stories260K model: cached second turns (also after a restart), streaming, kvasir generate's answers. */
class KvasirChatModelTest {
    @TempDir
    Path tmp;

    private static Path model() {
        return SharedData.model("stories260K.gguf");
    }

    private static KvasirChatModel.Builder greedy() {
        return KvasirChatModel.builder().modelPath(model()).temperature(0.0).maxTokens(24);
    }

    private static KvasirChatResponseMetadata meta(ChatResponse r) {
        return (KvasirChatResponseMetadata) r.metadata();
    }

    /** Two turns of one conversation (the messages kept by the caller, as any ChatMemory does). */
    private static List<ChatResponse> twoTurns(KvasirChatModel chat, List<ChatMessage> memory) {
        List<ChatResponse> out = new ArrayList<>();
        for (String user : List.of("Tell me about a cat.", "What did the cat eat?")) {
            memory.add(UserMessage.from(user));
            ChatResponse r = chat.chat(memory);
            memory.add(r.aiMessage());
            out.add(r);
        }
        return out;
    }

    @Test
    void theSecondTurnComputesOnlyItsNewTokens() {
        List<ChatMessage> memory = new ArrayList<>(List.of(SystemMessage.from("You are a storyteller.")));
        try (KvasirChatModel chat = greedy().build(); KvasirChatModel uncached = greedy().maxCachedPrompts(0).build()) {
            List<ChatResponse> turns = twoTurns(chat, memory);
            KvasirChatResponseMetadata first = meta(turns.get(0));
            KvasirChatResponseMetadata second = meta(turns.get(1));
            assertThat(first.cachedTokens()).isZero();
            assertThat(first.computedTokens()).isEqualTo(first.tokenUsage().inputTokenCount());
            // turn 1's prompt and answer were cached: what is computed is the new user turn only
            int firstSequence = first.tokenUsage().inputTokenCount() + first.tokenUsage().outputTokenCount();
            int newTurn = second.tokenUsage().inputTokenCount() - firstSequence;
            assertThat(second.cachedTokens()).isGreaterThanOrEqualTo(firstSequence - 2);
            assertThat(second.computedTokens()).isPositive().isLessThanOrEqualTo(newTurn + 2);
            assertThat(second.cachedTokens() + second.computedTokens()).isEqualTo(second.tokenUsage().inputTokenCount());
            assertThat(second.finishReason()).isIn(FinishReason.LENGTH, FinishReason.STOP);

            ChatResponse fresh = uncached.chat(memory.subList(0, memory.size() - 1));
            assertThat(meta(fresh).cachedTokens()).isZero();
            assertThat(fresh.aiMessage().text()).isEqualTo(turns.get(1).aiMessage().text()).isNotBlank();
        }
    }

    @Test
    void aCacheDirKeepsTheConversationAcrossAnApplicationRestart() {
        Path dir = tmp.resolve("cache");
        List<ChatMessage> memory = new ArrayList<>();
        memory.add(UserMessage.from("Tell me about a dog."));
        try (KvasirChatModel chat = greedy().cacheDir(dir).build()) {
            memory.add(chat.chat(memory).aiMessage());
        }
        memory.add(UserMessage.from("Where did the dog go?"));
        try (KvasirChatModel restarted = greedy().cacheDir(dir).build();
             KvasirChatModel uncached = greedy().maxCachedPrompts(0).build()) {
            ChatResponse r = restarted.chat(memory);
            ChatResponse fresh = uncached.chat(memory);
            assertThat(meta(r).cachedTokens()).isGreaterThan(meta(r).computedTokens()).isPositive();
            assertThat(meta(fresh).cachedTokens()).isZero();
            assertThat(r.aiMessage().text()).isEqualTo(fresh.aiMessage().text());
        }
    }

    @Test
    void streamedPiecesConcatenateToTheNonStreamingAnswer() throws Exception {
        List<ChatMessage> messages = List.of(SystemMessage.from("You are a storyteller."), UserMessage.from("Tell me about a bird."));
        try (KvasirModel loaded = Kvasir.load(model())) {
            KvasirChatModel chat = KvasirChatModel.builder().model(loaded).temperature(0.7).seed(7L).maxTokens(40).build();
            KvasirStreamingChatModel streaming = KvasirStreamingChatModel.builder().model(loaded).temperature(0.7).seed(7L)
                    .maxTokens(40).build();
            String expected = chat.chat(messages).aiMessage().text();
            StringBuilder pieces = new StringBuilder();
            List<String> parts = new ArrayList<>();
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            streaming.chat(messages, new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String text) {
                    parts.add(text);
                    pieces.append(text);
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    done.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }
            });
            ChatResponse complete = done.get(60, TimeUnit.SECONDS);
            assertThat(parts).hasSizeGreaterThan(5);
            assertThat(pieces.toString()).isEqualTo(complete.aiMessage().text()).isEqualTo(expected).isNotBlank();
            // the second call found the first one's cache: same prompt, all but its last token reused
            assertThat(meta(complete).cachedTokens()).isEqualTo(complete.tokenUsage().inputTokenCount() - 1);
        }
    }

    @Test
    void temperatureZeroAnswersEqualKvasirGenerateOnTheRenderedPrompt() throws Exception {
        List<ChatMessage> messages = List.of(SystemMessage.from("You are a storyteller."), UserMessage.from("Tell me about Lily."),
                AiMessage.from("Lily was a girl who liked to play."), UserMessage.from("What did she play with?"));
        try (KvasirChatModel chat = greedy().maxTokens(48).build()) {
            ChatResponse r = chat.chat(messages);
            String rendered = chat.model().renderChat(Bridge.messages(messages));
            JsonNode cli = generate("-m", model().toString(), "-p", rendered, "--temp", "0", "-n", "48", "--stop", "<|im_end|>",
                    "--json");
            List<Integer> promptIds = new ArrayList<>();
            cli.get("prompt_token_ids").forEach(n -> promptIds.add(n.asInt()));
            assertThat(promptIds).containsExactly(box(chat.model().chatTokens(Bridge.messages(messages))));
            assertThat(r.aiMessage().text()).isEqualTo(cli.get("text").asText()).isNotBlank();
            assertThat(r.tokenUsage().outputTokenCount()).isEqualTo(cli.get("generated_token_ids").size());
        }
    }

    @Test
    void aRequiredToolComesBackAsAToolExecutionRequestAndItsResultContinuesTheConversation() throws Exception {
        ToolSpecification weather = ToolSpecification.builder().name("get_weather").description("The weather in a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
        try (KvasirChatModel chat = greedy().maxTokens(120).build()) {
            List<ChatMessage> memory = new ArrayList<>(List.of(UserMessage.from("What is the weather in Paris?")));
            ChatResponse call = chat.chat(ChatRequest.builder().messages(memory).toolSpecifications(weather)
                    .toolChoice(ToolChoice.REQUIRED).build());
            assertThat(call.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
            assertThat(call.aiMessage().toolExecutionRequests()).hasSize(1);
            ToolExecutionRequest request = call.aiMessage().toolExecutionRequests().get(0);
            assertThat(request.name()).isEqualTo("get_weather");
            assertThat(new ObjectMapper().readTree(request.arguments()).get("city").isTextual()).as(request.arguments()).isTrue();
            assertThat(request.id()).isNotBlank();

            memory.add(call.aiMessage());
            memory.add(ToolExecutionResultMessage.from(request, "sunny"));
            ChatResponse answer = chat.chat(ChatRequest.builder().messages(memory).toolSpecifications(weather).build());
            assertThat(answer.aiMessage().hasToolExecutionRequests()).isFalse();
            assertThat(answer.aiMessage().text()).isNotBlank();
            assertThat(meta(answer).cachedTokens()).as("the call's turn was cached").isPositive();
        }
    }

    @Test
    void aJsonSchemaResponseFormatGivesJsonWithTheRequiredFields() throws Exception {
        ResponseFormat person = ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(JsonSchema.builder()
                .name("person").rootElement(JsonObjectSchema.builder().addStringProperty("name")
                        .addBooleanProperty("happy").required("name", "happy").build()).build()).build();
        try (KvasirChatModel chat = KvasirChatModel.builder().modelPath(model()).temperature(0.8).seed(3L).maxTokens(200).build()) {
            assertThat(chat.supportedCapabilities()).contains(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
            ChatResponse r = chat.chat(ChatRequest.builder().messages(UserMessage.from("Describe Lily.")).responseFormat(person).build());
            JsonNode json = new ObjectMapper().readTree(r.aiMessage().text());
            assertThat(json.get("name").isTextual()).as(r.aiMessage().text()).isTrue();
            assertThat(json.get("happy").isBoolean()).as(r.aiMessage().text()).isTrue();
        }
    }

    @Test
    void whatKvasirCannotHonourIsRefusedNotIgnored() {
        try (KvasirChatModel chat = greedy().build()) {
            ChatRequest image = ChatRequest.builder().messages(UserMessage.from(ImageContent.from("https://example.invalid/cat.png"))).build();
            assertThatThrownBy(() -> chat.chat(image)).isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("IMAGE");
            ChatRequest otherModel = ChatRequest.builder().messages(UserMessage.from("hi")).modelName("gpt-4o").build();
            assertThatThrownBy(() -> chat.chat(otherModel)).isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("gpt-4o");
        }
    }

    @Test
    void theEstimatorCountsThePromptAChatCallFeeds() {
        try (KvasirChatModel chat = greedy().build()) {
            var estimator = new KvasirTokenCountEstimator(chat.model());
            List<ChatMessage> messages = List.of(UserMessage.from("Tell me about a cat."));
            ChatResponse r = chat.chat(messages);
            assertThat(estimator.estimateTokenCountInMessages(messages)).isEqualTo(r.tokenUsage().inputTokenCount());
            assertThat(estimator.estimateTokenCountInText("Once upon a time")).isEqualTo(chat.model().tokenize("Once upon a time").length);
        }
    }

    private static Integer[] box(int[] ids) {
        return java.util.Arrays.stream(ids).boxed().toArray(Integer[]::new);
    }

    private static JsonNode generate(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliIo io = new CliIo(new PrintWriter(out), new PrintWriter(err), new ByteArrayInputStream(new byte[0]), Map.of(),
                Path.of("").toAbsolutePath(), null);
        String[] full = new String[args.length + 1];
        full[0] = "generate";
        System.arraycopy(args, 0, full, 1, args.length);
        assertThat(Main.run(full, io)).as(err.toString()).isZero();
        return new ObjectMapper().readTree(out.toString());
    }
}
