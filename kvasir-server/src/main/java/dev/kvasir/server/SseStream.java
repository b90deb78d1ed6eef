package dev.kvasir.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvasir.generate.Cancellation;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An OpenAI event stream: {@code data: JSON} events, flushed one by one, ended by
 * {@code data: [DONE]}. Written on the raw output stream so each event is on the wire as soon as it
 * is made; a failed write means the client went away, which cancels the generation (the prompt
 * cache keeps what was computed) instead of failing the request.
 */
final class SseStream implements AutoCloseable {
    private final ServerResponse res;
    private final Cancellation cancel;
    private OutputStream out;
    private boolean broken;

    SseStream(ServerResponse res, Cancellation cancel) {
        this.res = res;
        this.cancel = cancel;
    }

    void send(JsonNode event) {
        write("data: " + HttpIo.text(event) + "\n\n");
    }

    private void write(String event) {
        if (broken) {
            return;
        }
        try {
            if (out == null) {
                res.status(Status.OK_200);
                res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
                res.header(HeaderNames.CACHE_CONTROL, "no-cache");
                out = res.outputStream();
            }
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | RuntimeException e) { // Helidon reports a closed connection in several exception types
            broken = true;
            cancel.cancel();
        }
    }

    boolean started() {
        return out != null;
    }

    boolean broken() {
        return broken;
    }

    @Override
    public void close() {
        write("data: [DONE]\n\n");
        if (out != null) {
            try {
                out.close();
            } catch (IOException | RuntimeException e) {
                broken = true;
            }
        }
    }
}
