package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.gguf.GgufFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** stories260K's 512-token SentencePiece vocabulary against ids recorded from llama.cpp / llama-server. */
class Stories260kTokenizerTest {
    private static Tokenizer tokenizer;

    @BeforeAll
    static void load() {
        try (GgufFile file = GgufFile.open(SharedData.model("stories260K.gguf"))) {
            tokenizer = Tokenizer.of(file);
        }
    }

    private record Case(String text, int[] ids, String roundtrip) {
    }

    /** The reference JSON is flat (text, ids, roundtrip per case); kvasir-core has no JSON library. */
    private static List<Case> edgeCases() throws IOException {
        String json = Files.readString(SharedData.file("reference/tokenizer_edge.stories260K.llama.cpp.json"));
        String string = "(\"(?:[^\"\\\\]|\\\\.)*\")";
        Pattern entry = Pattern.compile("\\{\\s*\"text\":\\s*" + string + ",\\s*\"ids\":\\s*\\[([0-9,\\s]*)\\],"
                + "\\s*\"roundtrip\":\\s*" + string + "\\s*\\}");
        List<Case> cases = new ArrayList<>();
        Matcher m = entry.matcher(json);
        while (m.find()) {
            cases.add(new Case(JsonText.unquote(m.group(1)), JsonText.ints(m.group(2)), JsonText.unquote(m.group(3))));
        }
        assertThat(cases).hasSize(20);
        return cases;
    }

    @Test
    void edgeCasesEncodeWithBosLikeLlamaCpp() throws IOException {
        for (Case c : edgeCases()) {
            assertThat(tokenizer.encode(c.text(), true, false)).as(c.text()).containsExactly(c.ids());
        }
    }

    @Test
    void edgeCasesDecodeLikeLlamaCpp() throws IOException {
        for (Case c : edgeCases()) {
            // llama.cpp keeps the space the tokenizer prefixed when a BOS comes first
            assertThat(tokenizer.decode(c.ids())).as(c.text()).isEqualTo(c.roundtrip());
            assertThat(tokenizer.decode(tokenizer.encode(c.text(), false, false))).isEqualTo(c.text());
        }
    }

    @Test
    void serverPromptsEncodeLikeLlamaServer() throws IOException {
        for (String name : List.of("p1_once", "p3_lily_tom")) {
            String json = Files.readString(SharedData.file("reference/" + name + ".llama-server.json"),
                    StandardCharsets.UTF_8);
            String prompt = JsonText.unquote(JsonText.field(json, "prompt"));
            int[] ids = JsonText.ints(JsonText.arrayField(json, "prompt_token_ids"));
            assertThat(tokenizer.encode(prompt, true, true)).as(name).containsExactly(ids);
            assertThat(tokenizer.decode(tokenizer.encode(prompt, false, true))).isEqualTo(prompt);
        }
    }

    @Test
    void generatedTextStreamsLikeLlamaServer() throws IOException {
        for (String name : List.of("p1_once", "p3_lily_tom")) {
            String json = Files.readString(SharedData.file("reference/" + name + ".llama-server.json"),
                    StandardCharsets.UTF_8);
            int[] generated = JsonText.ints(JsonText.arrayField(json, "generated_token_ids"));
            String text = JsonText.unquote(JsonText.field(json, "text"));
            TokenDecoder decoder = tokenizer.newDecoder();
            StringBuilder streamed = new StringBuilder();
            for (int id : generated) {
                streamed.append(decoder.accept(id));
            }
            streamed.append(decoder.flush());
            assertThat(streamed.toString()).as(name).isEqualTo(text);
        }
    }

    @Test
    void byteFallbackEmojiStreamsWholeCharacters() {
        int[] ids = tokenizer.encode("emoji 😀 and 日本語", false, false);
        TokenDecoder decoder = tokenizer.newDecoder();
        List<String> chunks = new ArrayList<>();
        for (int id : ids) {
            chunks.add(decoder.accept(id));
        }
        assertThat(String.join("", chunks) + decoder.flush()).isEqualTo(" emoji 😀 and 日本語");
        assertThat(chunks).noneMatch(s -> s.contains("\uFFFD"));
        assertThat(chunks).contains("😀", "日", "本", "語");
    }
}
