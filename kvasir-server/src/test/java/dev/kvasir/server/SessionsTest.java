package dev.kvasir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kvasir.SharedData;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named sessions: save, inspect, restore after a restart, delete; hostile names and bad files are refused. */
class SessionsTest {

    static KvasirServer start(Path dir) {
        return KvasirServer.start(ServerConfig.of(SharedData.model("stories260K.gguf")).withPort(0).withCache(dir, 1, 1L << 20));
    }

    @Test
    void savedSessionIsRestoredAfterARestart(@TempDir Path dir) throws IOException {
        Chats chat = new Chats();
        int saved;
        try (KvasirServer server = start(dir)) {
            Http http = new Http(server.port(), null);
            chat.turn(http, "Tell me about the moon.", 10);
            ObjectNode body = Fields.MAPPER.createObjectNode();
            body.set("messages", chat.messages);
            HttpResponse<String> r = http.post("/v1/sessions/moon-talk", HttpIo.text(body));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            saved = Http.json(r).get("tokens").asInt();
            assertThat(Http.json(r).get("cached_tokens").asInt()).isPositive().isLessThan(saved);
            JsonNode info = Http.json(http.get("/v1/sessions/moon-talk"));
            assertThat(info.get("tokens").asInt()).isEqualTo(saved);
            assertThat(info.get("bytes").asLong()).isEqualTo(Files.size(dir.resolve("sessions/moon-talk.kvc")));
        }
        deleteDirectory(dir.resolve("prefix")); // only the session remains to resume from
        try (KvasirServer server = start(dir)) {
            Http http = new Http(server.port(), null);
            HttpResponse<String> restore = http.post("/v1/sessions/moon-talk/restore", "");
            assertThat(restore.statusCode()).as(restore.body()).isEqualTo(200);
            JsonNode next = chat.turn(http, "Why?", 6);
            // the session ends with the assistant's end-of-turn text, which the next prompt repeats
            assertThat(Chats.cachedTokens(next)).isEqualTo(saved);
            assertThat(http.delete("/v1/sessions/moon-talk").statusCode()).isEqualTo(200);
            assertThat(http.get("/v1/sessions/moon-talk").statusCode()).isEqualTo(404);
            assertThat(http.delete("/v1/sessions/moon-talk").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void hostileNamesAreRefused(@TempDir Path dir) {
        try (KvasirServer server = start(dir)) {
            Http http = new Http(server.port(), null);
            for (String name : new String[] {"..", "..%2F..%2Fetc%2Fpasswd", "%2E%2E", ".hidden", "a..b", "x".repeat(65),
                    "semi%3Bcolon", "sp%20ace", "%00nul"}) {
                HttpResponse<String> r = http.post("/v1/sessions/" + name, "{\"prompt\":\"hi\"}");
                // 404 when the decoded name has a '/' and so matches no route: either way no file is touched
                assertThat(r.statusCode()).as(name + ": " + r.body()).isIn(400, 404);
                assertThat(Http.json(r).at("/error/message").asText()).as(name).isNotEmpty();
            }
            HttpResponse<String> r = http.get("/v1/sessions/a..b");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(Http.json(r).at("/error/message").asText()).contains("invalid session name");
            assertThat(dir.resolve("sessions")).doesNotExist();
            assertThat(http.post("/v1/completions", "{\"prompt\":\"Once\",\"max_tokens\":2}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aBadFileIsRefusedAndChangesNothing(@TempDir Path dir) throws IOException {
        try (KvasirServer server = start(dir)) {
            Http http = new Http(server.port(), null);
            Files.createDirectories(dir.resolve("sessions"));
            Files.write(dir.resolve("sessions/broken.kvc"), "KVASIRKV this is not a cache".getBytes());
            int entries = Http.json(http.get("/health")).get("cache_entries").asInt();
            HttpResponse<String> r = http.post("/v1/sessions/broken/restore", "");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
            assertThat(Http.json(r).at("/error/message").asText()).contains("nothing was changed").contains("broken.kvc")
                    .as("the client sees the session's name, not the server's directories")
                    .doesNotContain(dir.toString()).doesNotContain(dir.toAbsolutePath().toRealPath().toString());
            HttpResponse<String> info = http.get("/v1/sessions/broken");
            assertThat(info.statusCode()).isEqualTo(422);
            assertThat(Http.json(info).at("/error/message").asText()).startsWith("session file unusable, nothing was changed: broken.kvc")
                    .doesNotContain(dir.toString());
            assertThat(Http.json(http.get("/health")).get("cache_entries").asInt()).isEqualTo(entries);
            assertThat(http.post("/v1/completions", "{\"prompt\":\"Once\",\"max_tokens\":2}").statusCode()).isEqualTo(200);
        }
    }

    static void deleteDirectory(Path d) throws IOException {
        try (var files = Files.list(d)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }
}
