package dev.kvasir.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kvasir.KvasirException;
import dev.kvasir.cache.PromptCache;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Named conversation caches in {@code --cache-dir/sessions} (docs/server.md):
 * {@code POST /v1/sessions/NAME} with {@code {"messages": [...]}} or {@code {"prompt": "..."}} saves the
 * cache of exactly that conversation (computing what the prompt cache lacks);
 * {@code GET} describes it; {@code DELETE} erases it; {@code POST /v1/sessions/NAME/restore} puts it
 * back in the prompt cache, so requests continuing the conversation resume from it. A bad file is
 * refused before it touches any cache.
 */
final class SessionHandler {
    private final Engine engine;
    private final Admission admission;
    private final Path dir; // null: no --cache-dir
    private final long maxBody;

    SessionHandler(Engine engine, Admission admission, Path cacheDir, long maxBody) {
        this.engine = engine;
        this.admission = admission;
        this.dir = cacheDir == null ? null : cacheDir.resolve("sessions");
        this.maxBody = maxBody;
    }

    void save(ServerRequest req, ServerResponse res) {
        Path file = file(req);
        Fields f = Fields.parse(HttpIo.body(req, maxBody));
        CompletionRequest conversation = f.has("messages") ? RequestParser.chat(f) : RequestParser.completion(f);
        int[] tokens = conversation.isChat() ? engine.conversationTokens(conversation) : engine.tokenize(conversation);
        try (Admission.Slot slot = admission.enter()) {
            Engine.Prefilled p = engine.prefill(tokens);
            try {
                Files.createDirectories(dir);
                p.cache().save(file);
            } catch (IOException | KvasirException e) {
                throw new ApiException(500, "server_error", "session_not_saved", null,
                        local(file.getFileName() + ": the session could not be saved: " + e.getMessage()));
            } finally {
                engine.cache().checkin(p.cache());
            }
            ObjectNode body = describe(req, p.cache(), file);
            body.put("cached_tokens", p.reused());
            HttpIo.json(res, 200, body);
        }
    }

    void inspect(ServerRequest req, ServerResponse res) {
        Path file = existing(req);
        HttpIo.json(res, 200, describe(req, load(file), file));
    }

    void restore(ServerRequest req, ServerResponse res) {
        Path file = existing(req);
        PromptCache loaded = load(file);
        engine.cache().checkin(loaded); // a freshly loaded object: no live cache is touched
        HttpIo.json(res, 200, describe(req, loaded, file));
    }

    void delete(ServerRequest req, ServerResponse res) {
        Path file = existing(req);
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new ApiException(500, "server_error", "session_not_deleted", null,
                    local(file.getFileName() + ": cannot delete: " + e.getMessage()));
        }
        ObjectNode body = Fields.MAPPER.createObjectNode();
        body.put("name", name(req).value());
        body.put("deleted", true);
        HttpIo.json(res, 200, body);
    }

    private PromptCache load(Path file) {
        try {
            return PromptCache.load(file, engine.identity());
        } catch (KvasirException e) {
            throw new ApiException(422, "invalid_request_error", "invalid_session_file", null,
                    "session file unusable, nothing was changed: " + local(e.getMessage()));
        }
    }

    /** A message without the server's directories: a client knows its sessions by name, not by server path. */
    private String local(String message) {
        String m = message;
        for (Path d : new Path[] {dir.toAbsolutePath().normalize(), dir}) {
            m = m.replace(d + java.io.File.separator, "").replace(d.toString(), "sessions");
        }
        return m;
    }

    private ObjectNode describe(ServerRequest req, PromptCache pc, Path file) {
        ObjectNode body = Fields.MAPPER.createObjectNode();
        body.put("name", name(req).value());
        body.put("tokens", pc.size());
        try {
            body.put("bytes", Files.size(file));
        } catch (IOException e) {
            body.putNull("bytes");
        }
        if (pc.loadReport() != null && !pc.loadReport().intact()) {
            body.put("ignored_bytes", pc.loadReport().ignoredBytes());
            body.put("problem", pc.loadReport().problem());
        }
        return body;
    }

    private SessionName name(ServerRequest req) {
        return new SessionName(req.path().pathParameters().first("name").orElse(""));
    }

    private Path file(ServerRequest req) {
        SessionName name = name(req);
        if (dir == null) {
            throw ApiException.invalid(null, "sessions are stored in --cache-dir: restart the server with --cache-dir DIR");
        }
        return dir.resolve(name.fileName());
    }

    private Path existing(ServerRequest req) {
        Path file = file(req);
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound("no session named '" + name(req).value() + "'");
        }
        return file;
    }
}
