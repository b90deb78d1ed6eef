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
            c = engine.complete(prompt, request, cancel, start, (choice, text, logprobs) -> reply.tick());
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
        // every choice's finish_reason goes out after the last choice's text, as OpenAI sends them: clients
        // (the OpenAI SDK's accumulator) treat a finish_reason as the end of the stream
        java.util.List<Choice> finished = new java.util.ArrayList<>();
        Completion c;
        try {
            c = engine.complete(prompt, request, cancel, start, new Engine.Listener() {
                private ToolCallHold hold = newHold();
                private boolean first = true;
                private int offset;
                private java.util.List<TokenLogprob> held = new java.util.ArrayList<>();

                private ToolCallHold newHold() {
                    return new ToolCallHold(engine.toolFormat(), request.features().toolsActive());
                }

                @Override
                public void text(int choice, String text, java.util.List<TokenLogprob> logprobs) {
                    held.addAll(logprobs);
                    String out = hold.feed(text);
                    if (!out.isEmpty() || (first && request.isChat())) {
                        send(choice, out);
                    }
                }

                private void send(int choice, String out) {
                    sse.send(responses.delta(choice, out, first, request.features().logprobs() ? held : null, offset));
                    offset += out.length();
                    held = new java.util.ArrayList<>();
                    first = false;
                }

                @Override
                public void choiceDone(Choice done) {
                    if (done.hasToolCalls()) {
                        responses.toolCallDeltas(done.index(), done.parsed().calls(), first).forEach(sse::send);
                        first = false;
                    } else {
                        String rest = hold.rest();
                        if (!rest.isEmpty() || first || !held.isEmpty()) {
                            send(done.index(), rest);
                        }
                    }
                    finished.add(done);
                    hold = newHold();
                    first = true;
                    offset = 0;
                    held = new java.util.ArrayList<>();
                }
            });
        } catch (ApiException e) {
            if (!sse.started()) {
                throw e; // nothing sent yet: a plain error response with its status
            }
            sse.send(HttpIo.errorBody(e));
            sse.close();
            return;
        }
        finished.forEach(done -> sse.send(responses.finish(done)));
        if (request.includeUsage()) {
            sse.send(responses.usageChunk(c));
        }
        sse.close();
    }
}
