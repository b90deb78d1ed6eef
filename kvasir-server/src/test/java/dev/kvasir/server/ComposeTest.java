package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kvasir.SharedData;
import dev.kvasir.compose.Segments;
import dev.kvasir.generate.Generator;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code kvasir_compose} extension of /v1/completions: documents are looked up by content hash
 * (computed after the prefix once, then reused in any order and request), and at 100 % recompute the
 * answer equals a fresh greedy generation of the composed ids.
 */
class ComposeTest {
    static final String PREFIX = "Once upon a time, there was a little girl named Lily.";
    static final String A = " She had a red ball and she liked to play with it in the park every day.";
    static final String B = " Tom was a big brown dog. He liked to run, jump and bark at the birds.";
    static final String QUESTION = " One day, Lily and Tom";

    private static String body(double percent, String... docs) {
        ObjectNode body = Fields.MAPPER.createObjectNode();
        body.put("prompt", QUESTION).put("max_tokens", 12).put("temperature", 0);
        ObjectNode c = body.putObject(ComposeSpec.FIELD);
        c.put("prefix", PREFIX).put("recompute", percent);
        Arrays.stream(docs).forEach(c.putArray("documents")::add);
        return body.toString();
    }

    private static int[] ids(Generator g, String... docs) {
        int[] ids = g.tokenize(PREFIX);
        for (String d : docs) {
            ids = Segments.join(ids, Segments.continuation(g, d));
        }
        return Segments.join(ids, Segments.continuation(g, QUESTION));
    }

    @Test
    void documentsAreReusedByContentInAnyOrderAndFullRecomputeEqualsAFreshRun() {
        Path model = SharedData.model("stories260K.gguf");
        try (KvasirServer server = KvasirServer.start(ServerConfig.of(model).withPort(0));
             FreshGeneration fresh = new FreshGeneration(model);
             Generator g = Generator.load(model)) {
            Http http = new Http(server.port(), null);
            JsonNode first = Http.json(http.post("/v1/completions", body(100, A, B)));
            JsonNode second = Http.json(http.post("/v1/completions", body(100, B, A)));
            JsonNode partial = Http.json(http.post("/v1/completions", body(15, B, A)));

            assertThat(first.at("/choices/0/text").asText())
                    .isEqualTo(fresh.greedy(ids(g, A, B), 12).text());
            assertThat(second.at("/choices/0/text").asText())
                    .isEqualTo(fresh.greedy(ids(g, B, A), 12).text());
            int composed = ids(g, B, A).length - Segments.continuation(g, QUESTION).length;
            assertThat(Chats.promptTokens(second)).isEqualTo(ids(g, B, A).length);
            assertThat(Chats.cachedTokens(second)).isEqualTo(composed);
            assertThat(partial.at("/choices/0/text").asText()).isNotEmpty();
            String metrics = http.get("/metrics").body();
            assertThat(metrics).contains("kvasir_compose_segments_total{result=\"hit\"} 4.0",
                    "kvasir_compose_segments_total{result=\"miss\"} 2.0");
        }
    }

    @Test
    void aBadExtensionIsA400NamingTheField() {
        try (KvasirServer server = KvasirServer.start(ServerConfig.of(SharedData.model("stories260K.gguf")).withPort(0))) {
            Http http = new Http(server.port(), null);
            for (String bad : List.of("{\"prompt\":\"x\",\"kvasir_compose\":{\"documents\":[]}}",
                    "{\"prompt\":\"x\",\"kvasir_compose\":{\"documents\":[\"a\"],\"recompute\":150}}")) {
                HttpResponse<String> r = http.post("/v1/completions", bad);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            }
            HttpResponse<String> chat = http.post("/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"kvasir_compose\":{\"documents\":[\"a\"]}}");
            assertThat(chat.statusCode()).isEqualTo(400);
            assertThat(chat.body()).contains("/v1/completions only");
        }
    }

}
