package dev.kvasir.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private static Object json(String relative) throws IOException {
        return Json.parse(Files.readString(SharedData.file(relative), StandardCharsets.UTF_8));
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(o -> ((Long) o).intValue()).toArray();
    }

    private static List<Case> edgeCases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (Object o : (List<?>) json("reference/tokenizer_edge.stories260K.llama.cpp.json")) {
            Map<?, ?> c = (Map<?, ?>) o;
            cases.add(new Case((String) c.get("text"), ints(c.get("ids")), (String) c.get("roundtrip")));
        }
        assertThat(cases).hasSize(20);
        return cases;
    }

    private static Map<?, ?> server(String name) throws IOException {
        return (Map<?, ?>) json("reference/" + name + ".llama-server.json");
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
            Map<?, ?> reference = server(name);
            String prompt = (String) reference.get("prompt");
            int[] ids = ints(reference.get("prompt_token_ids"));
            assertThat(tokenizer.encode(prompt, true, true)).as(name).containsExactly(ids);
            assertThat(tokenizer.decode(tokenizer.encode(prompt, false, true))).isEqualTo(prompt);
        }
    }

    @Test
    void generatedTextStreamsLikeLlamaServer() throws IOException {
        for (String name : List.of("p1_once", "p3_lily_tom")) {
            Map<?, ?> reference = server(name);
            int[] generated = ints(reference.get("generated_token_ids"));
            String text = (String) reference.get("text");
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
