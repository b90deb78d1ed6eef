package dev.kvasir.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.SharedData;
import dev.kvasir.json.Json;
import dev.kvasir.template.ChatMessage;
import dev.kvasir.tools.Tool;
import dev.kvasir.tools.ToolCall;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The facade's JSON formats and forced tool calls on stories260K, which writes neither on its own. */
class StructuredOutputTest {
    private static final String SCHEMA = """
            {"type": "object", "properties": {"name": {"type": "string", "maxLength": 12}, "age": {"type": "integer"}},
             "required": ["name", "age"], "additionalProperties": false}""";

    private static final List<ChatMessage> ASK = List.of(ChatMessage.user("Tell me about a cat."));

    @Test
    @SuppressWarnings("unchecked")
    void aJsonSchemaFormatGivesAnObjectWithTheRequiredTypedFields() {
        try (KvasirModel m = Kvasir.load(SharedData.model("stories260K.gguf"))) {
            for (long seed : new long[] {1, 2, 3}) {
                Result r = m.chat(ASK, Params.defaults().withSeed(seed).withMaxTokens(200)
                        .withFormat(ResponseFormat.jsonSchema(SCHEMA)));
                Map<String, ?> value = (Map<String, ?>) Json.parse(r.text());
                assertThat(value.keySet()).as(r.text()).containsExactlyInAnyOrder("name", "age");
                assertThat(value.get("name")).isInstanceOf(String.class);
                assertThat(value.get("age")).isInstanceOf(Number.class);
            }
            Result plain = m.generate("Once upon a time", Params.defaults().withSeed(4).withMaxTokens(200)
                    .withFormat(ResponseFormat.jsonSchema(SCHEMA)));
            assertThat(((Map<String, ?>) Json.parse(plain.text())).keySet()).as(plain.text()).containsExactlyInAnyOrder("name", "age");
        }
    }

    @Test
    void aRequiredToolIsCalledWithSchemaValidArguments() {
        Tool weather = new Tool("get_weather", "The weather in a city",
                Json.parse("{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\", \"maxLength\": 10}},"
                        + " \"required\": [\"city\"]}"));
        try (KvasirModel m = Kvasir.load(SharedData.model("stories260K.gguf"))) {
            Result r = m.chat(ASK, Params.greedy().withMaxTokens(200).withTools(List.of(weather), ToolChoice.REQUIRED));
            assertThat(r.toolCalls()).as(r.text()).hasSize(1);
            ToolCall call = r.toolCalls().get(0);
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(((Map<?, ?>) Json.parse(call.arguments())).get("city")).isInstanceOf(String.class);
            assertThat(call.id()).isNotBlank();

            Result none = m.chat(ASK, Params.greedy().withMaxTokens(24).withTools(List.of(weather), ToolChoice.NONE));
            assertThat(none.toolCalls()).isEmpty();
            assertThat(none.text()).isEqualTo(m.chat(ASK, Params.greedy().withMaxTokens(24)).text());
            assertThatThrownBy(() -> m.generate("x", Params.greedy().withTools(List.of(weather), ToolChoice.AUTO)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chat");
        }
    }
}
