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
 * Named conversation caches in {@code --cache-dir/sessions} and, with {@code --cache-redis}, in the
 * shared tier (a token-id record plus the KV chunks), so any server sharing the Redis can restore them (docs/server.md):
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
        SessionName name = name(req);
        Path file = file(name);
        SharedTier shared = engine.cache().shared();
        if (file == null && shared == null) {
            throw ApiException.invalid(null, "sessions are stored in --cache-dir or --cache-redis: restart the server with one of them");
        }
        Fields f = Fields.parse(HttpIo.body(req, maxBody));
        CompletionRequest conversation = f.has("messages") ? RequestParser.chat(f) : RequestParser.completion(f);
        int[] tokens = conversation.isChat() ? engine.conversationTokens(conversation) : engine.tokenize(conversation);
        try (Admission.Slot slot = admission.enter()) {
            Engine.Prefilled p = engine.prefill(tokens);
            boolean inShared;
            try {
                if (file != null) {
                    Files.createDirectories(dir);
                    p.cache().save(file);
                }
                inShared = shared != null && shared.saveSession(name.value(), p.cache());
            } catch (IOException | KvasirException e) {
                throw new ApiException(500, "server_error", "session_not_saved", null,
                        local((file == null ? name.value() : file.getFileName()) + ": the session could not be saved: " + e.getMessage()));
            } finally {
                engine.cache().checkin(p.cache());
            }
            if (file == null && !inShared) {
                throw new ApiException(503, "server_error", "session_not_saved", null, "the session could not be saved: "
                        + shared.describe() + " is unreachable and there is no --cache-dir; retry later");
            }
            ObjectNode body = describe(name, p.cache().size(), file);
            body.put("cached_tokens", p.reused());
            body.put("shared", inShared);
            HttpIo.json(res, 200, body);
        }
    }

    void inspect(ServerRequest req, ServerResponse res) {
        SessionName name = name(req);
        Path file = file(name);
        if (file != null && Files.isRegularFile(file)) {
            PromptCache pc = load(file);
            HttpIo.json(res, 200, withReport(describe(name, pc.size(), file), pc));
            return;
        }
        HttpIo.json(res, 200, describe(name, sharedTokens(name).length, null));
    }

    /** From the local file when there is one, else from the shared tier: its tokens prefilled through every tier (what the tiers lack is computed). */
    void restore(ServerRequest req, ServerResponse res) {
        SessionName name = name(req);
        Path file = file(name);
        if (file != null && Files.isRegularFile(file)) {
            PromptCache loaded = load(file);
            engine.cache().checkin(loaded); // a freshly loaded object: no live cache is touched
            HttpIo.json(res, 200, withReport(describe(name, loaded.size(), file), loaded));
            return;
        }
        int[] tokens = sharedTokens(name);
        try (Admission.Slot slot = admission.enter()) {
            Engine.Prefilled p = engine.prefill(tokens);
            engine.cache().checkin(p.cache());
            ObjectNode body = describe(name, tokens.length, null);
            body.put("cached_tokens", p.reused());
            HttpIo.json(res, 200, body);
        }
    }

    void delete(ServerRequest req, ServerResponse res) {
        SessionName name = name(req);
        Path file = file(name);
        SharedTier shared = engine.cache().shared();
        if (file == null && shared == null) {
            throw ApiException.invalid(null, "sessions are stored in --cache-dir or --cache-redis: restart the server with one of them");
        }
        boolean deleted = false;
        try {
            deleted = file != null && Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new ApiException(500, "server_error", "session_not_deleted", null,
                    local(file.getFileName() + ": cannot delete: " + e.getMessage()));
        }
        deleted |= shared != null && shared.deleteSession(name.value());
        if (!deleted) {
            throw ApiException.notFound("no session named '" + name.value() + "'");
        }
        ObjectNode body = Fields.MAPPER.createObjectNode();
        body.put("name", name.value());
        body.put("deleted", true);
        HttpIo.json(res, 200, body);
    }

    private int[] sharedTokens(SessionName name) {
        SharedTier shared = engine.cache().shared();
        int[] tokens = shared == null ? null : shared.sessionTokens(name.value());
        if (tokens == null) {
            if (dir == null && shared == null) {
                throw ApiException.invalid(null, "sessions are stored in --cache-dir or --cache-redis: restart the server with one of them");
            }
            throw ApiException.notFound("no session named '" + name.value() + "'");
        }
        return tokens;
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
        if (dir == null) {
            return message;
        }
        String m = message;
        for (Path d : new Path[] {dir.toAbsolutePath().normalize(), dir}) {
            m = m.replace(d + java.io.File.separator, "").replace(d.toString(), "sessions");
        }
        return m;
    }

    private ObjectNode describe(SessionName name, int tokens, Path file) {
        ObjectNode body = Fields.MAPPER.createObjectNode();
        body.put("name", name.value());
        body.put("tokens", tokens);
        try {
            if (file == null) {
                body.putNull("bytes");
            } else {
                body.put("bytes", Files.size(file));
            }
        } catch (IOException e) {
            body.putNull("bytes");
        }
        return body;
    }

    private static ObjectNode withReport(ObjectNode body, PromptCache pc) {
        if (pc.loadReport() != null && !pc.loadReport().intact()) {
            body.put("ignored_bytes", pc.loadReport().ignoredBytes());
            body.put("problem", pc.loadReport().problem());
        }
        return body;
    }

    private SessionName name(ServerRequest req) {
        return new SessionName(req.path().pathParameters().first("name").orElse(""));
    }

    /** The session's local file, or null without --cache-dir. */
    private Path file(SessionName name) {
        return dir == null ? null : dir.resolve(name.fileName());
    }
}
