package dev.kvasir.server;

import dev.kvasir.generate.Cancellation;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.UUID;
import java.util.function.Function;

/** {@code POST /v1/chat/completions} and {@code POST /v1/completions}, streaming or not. */
final class CompletionHandler {
    private final Engine engine;
    private final Admission admission;
    private final long maxBody;

    CompletionHandler(Engine engine, Admission admission, long maxBody) {
        this.engine = engine;
        this.admission = admission;
        this.maxBody = maxBody;
    }

    void chat(ServerRequest req, ServerResponse res) {
        handle(req, res, RequestParser::chat, "chatcmpl-");
    }

    void completion(ServerRequest req, ServerResponse res) {
        handle(req, res, RequestParser::completion, "cmpl-");
    }

    private void handle(ServerRequest req, ServerResponse res, Function<Fields, CompletionRequest> parser, String idPrefix) {
        long start = System.nanoTime();
        Fields fields = Fields.parse(HttpIo.body(req, maxBody));
        requireServedModel(fields);
        CompletionRequest request = parser.apply(fields);
        int[] prompt = engine.tokenize(request);
        Responses responses = new Responses(idPrefix + UUID.randomUUID().toString().replace("-", ""), engine.modelId(),
                request.isChat());
        Cancellation cancel = new Cancellation();
        try (Admission.Slot slot = admission.enter()) {
            if (request.stream()) {
                stream(request, prompt, responses, cancel, start, res);
            } else {
                answer(request, prompt, responses, cancel, start, res);
            }
        }
    }

    /**
     * OpenAI answers a model it does not have with 404 {@code model_not_found}; so does this server,
     * rather than answering with another model. Accepted: no {@code model}, the id /v1/models lists,
     * or the file name with {@code .gguf}.
     */
    private void requireServedModel(Fields f) {
        String model = f.string("model").orElse(null);
        if (model != null && !model.equals(engine.modelId()) && !model.equals(engine.modelId() + ".gguf")) {
            throw new ApiException(404, "invalid_request_error", "model_not_found", "model", "the model '" + model
                    + "' does not exist here; this server serves '" + engine.modelId() + "' (GET /v1/models)");
        }
    }

    private void answer(CompletionRequest request, int[] prompt, Responses responses, Cancellation cancel, long start,
                        ServerResponse res) {
        KeepAliveJson reply = new KeepAliveJson(res, cancel);
        Completion c;
        try {
            c = engine.complete(prompt, request, cancel, start, text -> reply.tick());
        } catch (ApiException e) {
            if (!reply.committed()) {
                throw e; // nothing sent yet: a plain error response with its status
            }
            reply.send(e.status(), HttpIo.errorBody(e));
            return;
        }
        reply.send(200, responses.full(c));
    }

    private void stream(CompletionRequest request, int[] prompt, Responses responses, Cancellation cancel, long start,
                        ServerResponse res) {
        SseStream sse = new SseStream(res, cancel);
        boolean[] first = {true};
        Completion c;
        try {
            c = engine.complete(prompt, request, cancel, start, text -> {
                sse.send(responses.delta(text, first[0]));
                first[0] = false;
            });
        } catch (ApiException e) {
            if (!sse.started()) {
                throw e; // nothing sent yet: a plain error response with its status
            }
            sse.send(HttpIo.errorBody(e));
            sse.close();
            return;
        }
        if (first[0]) {
            sse.send(responses.delta("", true));
        }
        sse.send(responses.finish(c));
        if (request.includeUsage()) {
            sse.send(responses.usageChunk(c));
        }
        sse.close();
    }
}
