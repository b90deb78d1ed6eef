package dev.kvasir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kvasir serve} killed with SIGKILL (no shutdown hook runs) keeps the prompt caches of requests
 * that finished about 2 s before: the write-behind tier stored them, and the restarted server on the
 * same --cache-dir resumes the same prompt from its file.
 */
class ServeKillTest {
    private static final Pattern LISTENING = Pattern.compile("serving .* on http://127\\.0\\.0\\.1:(\\d+)/v1");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void aRequestFinishedTwoSecondsBeforeAKillIsCachedAfterTheRestart() throws Exception {
        String body = Cli.JSON.createObjectNode().put("prompt", Workflows.DOC + Workflows.MORE + Workflows.DOC)
                .put("max_tokens", 4).put("temperature", 0).toString();
        Process first = serve();
        JsonNode before;
        try {
            before = complete(port(first), body);
            Thread.sleep(2000);
        } finally {
            first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no clean close of the cache
        }
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("killed by a signal, not shut down").isEqualTo(137);
        int prompt = before.at("/usage/prompt_tokens").asInt();
        assertThat(prompt).as("a long prompt").isGreaterThan(300);
        assertThat(before.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isZero();

        Process second = serve();
        try {
            JsonNode after = complete(port(second), body);
            assertThat(after.at("/usage/prompt_tokens").asInt()).isEqualTo(prompt);
            assertThat(after.at("/usage/prompt_tokens_details/cached_tokens").asInt())
                    .as("the restarted server resumed from the entry written behind before the kill")
                    .isGreaterThanOrEqualTo(prompt - 1);
            assertThat(after.at("/choices/0/text").asText()).isEqualTo(before.at("/choices/0/text").asText());
        } finally {
            second.destroyForcibly();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process serve() throws IOException {
        return Workflows.child("serve", "-m", Workflows.model(), "--port", "0", "--cache-dir", dir.toString());
    }

    /** Reads the child's stderr up to the line naming its port, then drains the rest so the child never blocks. */
    private static int port(Process p) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = err.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> err.lines().forEach(l -> { }));
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("kvasir serve exited before listening:\n" + seen);
    }

    private static JsonNode complete(int port, String body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/completions"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Cli.JSON.readTree(r.body());
    }
}
