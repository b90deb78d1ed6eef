package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvasir.SharedData;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.template.ChatConversation;
import dev.kvasir.template.ChatMessage;
import dev.kvasir.template.ChatPrompt;
import dev.kvasir.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ServerConfig.chatTemplate} ({@code kvasir serve --chat-template FILE}) renders chats instead of the model's template. */
class ChatTemplateFileTest {
    static final String TEMPLATE = "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}"
            + "{% if add_generation_prompt %}[assistant]{% endif %}";

    @Test
    void chatsAreRenderedWithTheGivenTemplate(@TempDir Path dir) throws IOException {
        Path model = SharedData.model("stories260K.gguf");
        Path template = Files.writeString(dir.resolve("brackets.jinja"), TEMPLATE);
        int expected;
        int chatMl;
        try (GgufFile gguf = GgufFile.open(model)) {
            Tokenizer tokenizer = Tokenizer.of(gguf);
            var chat = ChatConversation.of(List.of(ChatMessage.user("Tell me a story.")), true);
            expected = ChatPrompt.of(gguf.metadata(), tokenizer, "m", template).tokens(tokenizer, chat).length;
            chatMl = ChatPrompt.of(gguf.metadata(), tokenizer, "m").tokens(tokenizer, chat).length;
        }
        assertThat(expected).as("the test template differs from the model's fallback").isNotEqualTo(chatMl);
        try (KvasirServer server = KvasirServer.start(ServerConfig.of(model).withPort(0).withChatTemplate(template))) {
            JsonNode r = new Chats().turn(new Http(server.port(), null), "Tell me a story.", 2);
            assertThat(Chats.promptTokens(r)).isEqualTo(expected);
        }
    }
}
