package dev.kvasir.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvasir.generate.Cancellation;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A non-streaming JSON answer that notices a client hanging up. A waiting client sends nothing and
 * Helidon offers no public way to poll the connection, so the only sign is a failed write: once the
 * generation has run for {@link #INTERVAL_NANOS}, a space (JSON's insignificant whitespace before the
 * value) is written every interval; the write after the client's close fails and cancels the
 * generation. Answers that finish sooner go out as a plain response with a Content-Length. After the
 * first space the status is committed as 200, which is why this starts only once tokens are flowing
 * (the request has been validated).
 */
final class KeepAliveJson {
    static final long INTERVAL_NANOS = 500_000_000L;

    private final ServerResponse res;
    private final Cancellation cancel;
    private long lastWrite;
    private OutputStream out;
    private boolean broken;

    KeepAliveJson(ServerResponse res, Cancellation cancel) {
        this.res = res;
        this.cancel = cancel;
        this.lastWrite = System.nanoTime();
    }

    /** Called as the generation progresses: writes a space when an interval has passed. */
    void tick() {
        long now = System.nanoTime();
        if (now - lastWrite < INTERVAL_NANOS || broken) {
            return;
        }
        lastWrite = now;
        write(new byte[] {' '});
    }

    /** The answer (or an error object, when the status is already committed). */
    void send(int status, JsonNode body) {
        if (broken) {
            return; // the client is gone: nobody reads the answer
        }
        if (out == null) {
            HttpIo.json(res, status, body);
            return;
        }
        write(HttpIo.bytes(body));
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            broken = true;
        }
    }

    boolean committed() {
        return out != null;
    }

    private void write(byte[] bytes) {
        if (broken) {
            return;
        }
        try {
            if (out == null) {
                res.status(Status.OK_200);
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                out = res.outputStream();
            }
            out.write(bytes);
            out.flush();
        } catch (IOException | RuntimeException e) { // Helidon reports a closed connection in several exception types
            broken = true;
            cancel.cancel();
        }
    }
}
