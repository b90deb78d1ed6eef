package dev.kvasir.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.SharedData;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.tokenizer.Tokenizer;
import dev.kvasir.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chat messages to prompt text to ids, on real vocabulary files and their templates. */
class ChatPromptTest {
    private static final ChatConversation HELLO = ChatConversation.of(List.of(ChatMessage.user("Hello! Who are you?")), true);

    @TempDir
    Path tmp;

    private record Loaded(ChatPrompt prompt, Tokenizer tokenizer) {}

    private static Loaded load(String relative, Path templateFile) {
        Path path = SharedData.file(relative);
        try (GgufFile file = GgufFile.open(path)) {
            Tokenizer tokenizer = Tokenizer.of(file);
            return new Loaded(ChatPrompt.of(file.metadata(), tokenizer, path.getFileName().toString(), templateFile),
                    tokenizer);
        }
    }

    private static long count(int[] ids, int id) {
        return Arrays.stream(ids).filter(i -> i == id).count();
    }

    @Test
    void phi3TemplateFromTheGgufWritesBosAndTheIdsHoldExactlyOne() {
        Loaded phi3 = load("tokenizers/ggml-vocab-phi-3.gguf", null);
        Vocabulary v = phi3.tokenizer().vocabulary();
        assertThat(phi3.prompt().bosToken()).isEqualTo("<s>");
        assertThat(phi3.prompt().eosToken()).isEqualTo(v.token(v.eos()));
        assertThat(phi3.prompt().source()).isEqualTo("ggml-vocab-phi-3.gguf tokenizer.chat_template");

        String text = phi3.prompt().render(HELLO);
        // the golden of ggml-vocab-phi-3.golden.json (user_only_gen), rendered by Jinja2
        assertThat(text).isEqualTo("<s><|user|>\nHello! Who are you?<|end|>\n<|assistant|>\n");
        int[] ids = phi3.prompt().tokenize(phi3.tokenizer(), text);
        assertThat(ids[0]).isEqualTo(v.bos());
        assertThat(count(ids, v.bos())).isEqualTo(1);
        // the same ids as the template without its BOS text, encoded the plain llama_tokenize way
        int[] withoutBosText = phi3.tokenizer().encode(text.substring(3), true, true);
        assertThat(ids).containsExactly(withoutBosText);
        assertThat(ids).contains(v.id("<|user|>"), v.id("<|end|>"), v.id("<|assistant|>"));
        assertThat(ids[ids.length - 1]).isEqualTo(v.id("<|assistant|>"));
    }

    @Test
    void aTemplateWithoutBosTextGetsTheVocabularysBos() throws IOException {
        Path file = Files.writeString(tmp.resolve("nobos.jinja"),
                "{% for m in messages %}<|{{ m.role }}|>\n{{ m.content }}<|end|>\n{% endfor %}");
        Loaded phi3 = load("tokenizers/ggml-vocab-phi-3.gguf", file);
        assertThat(phi3.prompt().source()).isEqualTo("nobos.jinja");
        int[] ids = phi3.prompt().tokens(phi3.tokenizer(), HELLO);
        int bos = phi3.tokenizer().vocabulary().bos();
        assertThat(ids[0]).isEqualTo(bos);
        assertThat(count(ids, bos)).isEqualTo(1);
    }

    @Test
    void aModelWithoutTemplateFallsBackToChatMl() {
        Loaded stories = load("models/stories260K.gguf", null);
        assertThat(stories.prompt().source()).isEqualTo("the ChatML fallback");
        assertThat(stories.prompt().render(HELLO))
                .isEqualTo("<|im_start|>user\nHello! Who are you?<|im_end|>\n<|im_start|>assistant\n");
        int[] ids = stories.prompt().tokens(stories.tokenizer(), HELLO);
        assertThat(ids[0]).isEqualTo(1);
        assertThat(count(ids, 1)).isEqualTo(1);
    }

    @Test
    void templateErrorsNameTheFileAndPosition() throws IOException {
        SharedData.file("tokenizers/ggml-vocab-phi-3.gguf"); // skips here when shared/ is absent, not inside the lambda
        Path broken = Files.writeString(tmp.resolve("broken.jinja"), "{% for m in messages %}\n{{ m.content + }}");
        assertThatThrownBy(() -> load("tokenizers/ggml-vocab-phi-3.gguf", broken))
                .isInstanceOf(TemplateException.class).hasMessageStartingWith("broken.jinja: chat template 2:")
                .hasMessageNotContaining("\n");
        Path raising = Files.writeString(tmp.resolve("raising.jinja"), "{{ raise_exception('no system role') }}");
        ChatPrompt prompt = load("tokenizers/ggml-vocab-phi-3.gguf", raising).prompt();
        assertThatThrownBy(() -> prompt.render(HELLO))
                .hasMessage("raising.jinja: chat template 1:4: TemplateError: no system role");
        assertThatThrownBy(() -> ChatPrompt.readTemplate(tmp.resolve("absent.jinja")))
                .isInstanceOf(KvasirException.class).hasMessageContaining("absent.jinja: chat template file not found");
    }

    @Test
    void messagesFromOpenAiJsonInBothShapes() {
        String messages = "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi \"},{\"type\":\"text\",\"text\":\"there\"}]},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"content\":\"42\",\"tool_call_id\":\"c1\",\"name\":\"f\"}]";
        ChatConversation plain = ChatJson.parse(messages, "m.json", true);
        assertThat(plain.messages()).hasSize(4);
        assertThat(plain.messages().get(1).content()).isEqualTo("Hi there");
        assertThat(plain.messages().get(2).toolCalls()).hasSize(1);
        assertThat(plain.messages().get(3)).isEqualTo(ChatMessage.tool("42", "c1", "f"));
        assertThat(plain.tools()).isNull();
        assertThat(plain.addGenerationPrompt()).isTrue();

        ChatConversation request = ChatJson.parse("{\"model\":\"x\",\"messages\":" + messages
                + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}", "m.json", false);
        assertThat(request.messages()).isEqualTo(plain.messages());
        assertThat(request.tools()).hasSize(1);
        assertThat(request.addGenerationPrompt()).isFalse();
    }

    @Test
    void badChatJsonSaysWhere() {
        assertThatThrownBy(() -> ChatJson.parse("[{\"role\":\"user\",\"content\":\"a\"},]", "m.json", true))
                .isInstanceOf(TemplateException.class)
                .hasMessage("m.json: invalid JSON at line 1, column 32: unexpected ']', expected a value");
        assertThatThrownBy(() -> ChatJson.parse("[{\"role\":\"user\",\"content\":\"a\"},{\"content\":\"b\"}]", "m.json", true))
                .hasMessage("m.json: messages[1].role: expected a non-empty string, found null");
        assertThatThrownBy(() -> ChatJson.parse("{\"prompt\":\"a\"}", "m.json", true))
                .hasMessageStartingWith("m.json: the object has no \"messages\" array");
        assertThat(ChatJson.parse("[]", "m.json", true).messages()).isEmpty();
        assertThatThrownBy(() -> ChatJson.parse("[{\"role\":\"user\",\"content\":7}]", "m.json", true))
                .hasMessage("m.json: messages[0].content: expected a string or an array of text parts, found a number");
        assertThatThrownBy(() -> ChatJson.parse("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],\"tools\":{}}",
                "m.json", true)).hasMessage("m.json: tools: expected an array of objects, found an object");
    }
}
