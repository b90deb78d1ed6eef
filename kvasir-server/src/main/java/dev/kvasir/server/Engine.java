package dev.kvasir.server;

import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.generate.Cancellation;
import dev.kvasir.generate.GeneratedToken;
import dev.kvasir.generate.Generation;
import dev.kvasir.generate.GenerationRequest;
import dev.kvasir.generate.Generator;
import dev.kvasir.sample.Sampler;
import dev.kvasir.template.ChatConversation;
import dev.kvasir.template.ChatPrompt;
import dev.kvasir.template.TemplateException;
import dev.kvasir.workflow.CacheIdentity;
import dev.kvasir.constrain.Constraints;
import dev.kvasir.constrain.Grammar;
import dev.kvasir.constrain.SchemaException;
import dev.kvasir.constrain.TokenAutomaton;
import dev.kvasir.json.Json;
import dev.kvasir.sample.SamplerSettings;
import dev.kvasir.tokenizer.Tokenizer;
import dev.kvasir.tools.Tool;
import dev.kvasir.tools.ToolFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The model behind the server: renders and tokenizes requests, and runs generations from the prefix
 * cache. Concurrent generations decode together: their model calls go through the
 * {@link DecodeScheduler}, which advances all of them by one batched step at a time.
 */
final class Engine implements AutoCloseable {
    private final Generator generator;
    private final ChatPrompt chat;
    private final String modelId;
    private final ModelIdentity identity;
    private final PrefixCache cache;
    private final ServerMetrics metrics;
    private final DecodeScheduler scheduler;
    private final Composer composer;
    private final long maxPromptBytes;
    private final Constraints constraints;
    private final ToolFormat toolFormat;
    private final boolean templateIgnoresTools;

    Engine(Generator generator, String modelId, java.nio.file.Path chatTemplate,
           java.util.function.Function<ModelIdentity, PrefixCache> caches, ServerMetrics metrics) {
        this.generator = generator;
        this.modelId = modelId;
        this.identity = CacheIdentity.of(generator.model());
        this.chat = ChatPrompt.of(generator.model().gguf().metadata(), generator.tokenizer(), modelId, chatTemplate);
        this.cache = caches.apply(identity);
        this.metrics = metrics;
        this.scheduler = new DecodeScheduler(generator.model(), metrics);
        this.composer = new Composer(generator, this, scheduler, new SegmentStore(SEGMENT_BUDGET), metrics);
        // no token covers more input bytes than its own text (an unknown character: one <unk> of up to 4 bytes)
        this.maxPromptBytes = (long) contextLength() * Math.max(4, generator.tokenizer().vocabulary().maxTokenBytes());
        this.constraints = new Constraints(generator.tokenizer());
        this.toolFormat = ToolFormat.detect(chat);
        this.templateIgnoresTools = ToolFormat.templateIgnoresTools(chat);
    }

    /** RAM for kvasir_compose document segments: room for a few dozen documents of a 1B model. */
    static final long SEGMENT_BUDGET = 256L << 20;

    String modelId() {
        return modelId;
    }

    ModelIdentity identity() {
        return identity;
    }

    PrefixCache cache() {
        return cache;
    }

    int contextLength() {
        return generator.model().config().contextLength();
    }

    /** A whole conversation as the template writes it, without a generation prompt (a session to save). */
    int[] conversationTokens(CompletionRequest request) {
        checkBytes(request);
        try {
            return chat.tokens(generator.tokenizer(), ChatConversation.of(request.messages(), false));
        } catch (TemplateException e) {
            throw ApiException.invalid("messages", "the chat template cannot render these messages: " + e.getMessage());
        }
    }

    /**
     * The prompt's token ids: chat messages through the model's template (ChatML when it has none), with
     * the request's tools in the template's tool format, or described in a system message when the template
     * ignores tools.
     */
    int[] tokenize(CompletionRequest request) {
        checkBytes(request);
        if (request.compose() != null) {
            return composer.tokens(request.compose(), request.prompt());
        }
        if (!request.isChat()) {
            return generator.tokenize(request.prompt());
        }
        Features f = request.features();
        try {
            if (f.tools().isEmpty()) {
                return chat.tokens(generator.tokenizer(), ChatConversation.of(request.messages(), true));
            }
            if (templateIgnoresTools) {
                return chat.tokens(generator.tokenizer(),
                        ChatConversation.of(ToolFormat.withToolsInText(request.messages(), f.tools()), true));
            }
            List<Map<String, Object>> tools = f.tools().stream().map(Tool::templateValue).toList();
            return chat.tokens(generator.tokenizer(), new ChatConversation(request.messages(), tools, true));
        } catch (TemplateException e) {
            throw ApiException.invalid("messages", "the chat template cannot render these messages: " + e.getMessage());
        }
    }

    /** Receives each choice's text as it becomes final, with the log-probabilities of the tokens that produced it. */
    interface Listener {
        void text(int choice, String text, List<TokenLogprob> logprobs);

        /** A choice has ended (before the next one starts). */
        default void choiceDone(Choice choice) {
        }
    }

    /**
     * Refuses a prompt too long for the context before tokenizing it (a 5 MB prompt took 7 s to
     * tokenize only to be refused): {@code maxPromptBytes} bytes tokenize to at least a context's worth.
     */
    private void checkBytes(CompletionRequest request) {
        long bytes = request.isChat()
                ? request.messages().stream().mapToLong(m -> utf8Length(m.content())).sum()
                : utf8Length(request.prompt());
        if (bytes > maxPromptBytes) {
            throw new ApiException(400, "invalid_request_error", "context_length_exceeded", request.isChat() ? "messages"
                    : "prompt", "the prompt is " + bytes + " bytes, more than any prompt that fits: the model's context holds "
                    + contextLength() + " tokens of at most " + maxPromptBytes / contextLength() + " bytes each; shorten it");
        }
    }

    private static long utf8Length(String s) {
        if (s == null) {
            return 0; // an assistant message that only carries tool calls
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a surrogate pair: 4 bytes
        }
        return n;
    }

    /**
     * Generates the request's {@code n} choices for {@code prompt}, passing text to {@code out} as it is
     * final. The prompt is computed once: with {@code n > 1} all but its last token are prefilled, then each
     * choice continues from its own copy-on-write fork of that cache. The cache keeps every computed
     * position, also when {@code cancel} stops early.
     */
    Completion complete(int[] prompt, CompletionRequest request, Cancellation cancel, long startNanos, Listener out) {
        String param = request.isChat() ? "messages" : "prompt";
        int ctx = contextLength();
        if (prompt.length == 0) {
            throw ApiException.invalid(param, "the prompt is empty after tokenization; send some text");
        }
        if (prompt.length >= ctx) {
            throw new ApiException(400, "invalid_request_error", "context_length_exceeded", param, "the prompt is "
                    + prompt.length + " tokens but the model's context holds " + ctx + "; shorten it");
        }
        TokenAutomaton grammar = grammar(request.features());
        int n = request.features().n();
        PrefixCache.Lease lease = request.compose() == null ? cache.checkout(prompt) : composer.lease(request.compose());
        List<Choice> choices = new ArrayList<>();
        if (n == 1) {
            choices.add(generate(0, prompt, lease.reused(), lease.cache(), request, grammar, cancel, startNanos, out));
        } else {
            PromptCache shared = lease.cache();
            int from = lease.reused();
            if (prompt.length - 1 > from) {
                scheduler.prefill(prompt, from, prompt.length - 1 - from, shared.cache());
                shared.accepted(Arrays.copyOfRange(prompt, from, prompt.length - 1));
            }
            for (int i = 0; i < n && !cancel.isCancelled(); i++) {
                choices.add(generate(i, prompt, prompt.length - 1, shared.fork(), request, grammar, cancel, startNanos, out));
            }
        }
        return new Completion(choices, prompt.length, lease.reused());
    }

    /** One choice: generates after {@code cached} prompt tokens already in {@code pc}, then checks the sequence in. */
    private Choice generate(int index, int[] prompt, int cached, PromptCache pc, CompletionRequest request,
                            TokenAutomaton grammar, Cancellation cancel, long startNanos, Listener out) {
        int room = contextLength() - prompt.length;
        int maxTokens = request.maxTokens() < 0 ? room : Math.min(request.maxTokens(), room);
        int[] input = Arrays.copyOfRange(prompt, cached, prompt.length);
        SamplerSettings settings = request.sampling();
        if (index > 0 && settings.seed() != SamplerSettings.RANDOM_SEED) {
            settings = settings.withSeed(settings.seed() + index); // a fixed seed still gives n different choices
        }
        Sampler sampler = new Sampler(settings);
        for (int i = 0; i < cached; i++) {
            sampler.accept(prompt[i]); // the penalties see the whole prompt, as in a fresh run, not just the suffix
        }
        GenerationRequest generationRequest = new GenerationRequest(input, maxTokens, sampler, request.stop(), cancel,
                grammar == null ? null : grammar.newMatcher());
        int topLogprobs = request.features().topLogprobs();
        List<TokenLogprob> logprobs = topLogprobs >= 0 ? new ArrayList<>() : null;
        List<TokenLogprob> pending = new ArrayList<>();
        Generation generation;
        int[] sequence = Arrays.copyOf(input, input.length + Math.max(16, maxTokens));
        int generated = 0;
        StringBuilder text = new StringBuilder();
        try (DecodeScheduler.Sequence model = scheduler.open()) {
            generation = generator.start(generationRequest, pc.cache(), model);
            while (generation.hasNext()) {
                GeneratedToken t = generation.next();
                if (t.isToken()) {
                    if (generated == 0 && index == 0) {
                        metrics.firstToken(System.nanoTime() - startNanos);
                    }
                    sequence = grow(sequence, input.length + generated);
                    sequence[input.length + generated++] = t.token();
                    if (logprobs != null) {
                        TokenLogprob lp = TokenLogprob.of(generation.lastLogits(), t.token(), topLogprobs,
                                generator.tokenizer());
                        logprobs.add(lp);
                        pending.add(lp);
                    }
                }
                if (!t.text().isEmpty()) {
                    text.append(t.text());
                    out.text(index, t.text(), List.copyOf(pending));
                    pending.clear();
                }
            }
        } catch (IllegalStateException e) {
            if (generationRequest.constraint() != null) { // the grammar reached a dead end: a defect, but say what
                throw new ApiException(500, "server_error", null, null, "constrained decoding failed: " + e.getMessage());
            }
            throw e;
        } finally {
            int computed = pc.cache().size() - pc.size();
            pc.accepted(Arrays.copyOf(sequence, computed));
            if (request.compose() == null) {
                cache.checkin(pc); // a composed cache is approximate (unless fully recomputed): never reused as a prefix
            }
            metrics.tokens(index == 0 ? prompt.length : 0, index == 0 ? cached : 0, generated);
        }
        if (!pending.isEmpty()) {
            out.text(index, "", List.copyOf(pending));
        }
        Features f = request.features();
        Choice c = new Choice(index, text.toString(), generation.result().stopReason(), generated, logprobs,
                f.toolsActive() ? toolFormat.parse(text.toString()) : null);
        out.choiceDone(c);
        return c;
    }

    /** The request's output constraint, compiled once per schema or tool set and cached; null when free text. */
    private TokenAutomaton grammar(Features f) {
        TokenAutomaton tools = null;
        if (f.callForced() || (f.toolsActive() && f.format() != null)) {
            List<Tool> callable = f.forcedFunction()
                    ? f.tools().stream().filter(t -> t.name().equals(f.toolChoice())).toList() : f.tools();
            String key = "tools:" + toolFormat + ":" + f.parallelToolCalls() + ":"
                    + Json.write(callable.stream().map(Tool::templateValue).toList());
            try {
                tools = constraints.automaton(key, () -> toolFormat.grammar(callable, f.parallelToolCalls()));
            } catch (SchemaException e) {
                throw ApiException.invalid("tools", "a tool's parameters cannot be enforced: " + e.getMessage());
            }
            if (f.callForced()) {
                return tools;
            }
        }
        if (f.format() == null) {
            return null;
        }
        try {
            return switch (f.format()) {
                case Features.ResponseFormat.JsonObject j -> tools == null ? constraints.jsonObject()
                        : constraints.automaton("json_object|" + tools, () -> Grammar.oneOf(toolFormat.grammar(f.tools(),
                                f.parallelToolCalls()), Grammar.anyJsonObject()));
                case Features.ResponseFormat.JsonSchema s -> tools == null ? constraints.jsonSchema(s.schema())
                        : constraints.automaton("schema|" + Json.write(s.schema()) + "|" + tools, () -> Grammar.oneOf(
                                toolFormat.grammar(f.tools(), f.parallelToolCalls()), Grammar.jsonSchema(s.schema())));
            };
        } catch (SchemaException e) {
            throw ApiException.invalid("response_format.json_schema.schema", e.getMessage());
        }
    }

    ToolFormat toolFormat() {
        return toolFormat;
    }

    Tokenizer tokenizer() {
        return generator.tokenizer();
    }

    /**
     * A cache holding all of {@code tokens}: the longest cached prefix, the rest computed. The
     * caller owns the result (a fork: no cached entry changes) and may {@link PrefixCache#checkin} it.
     */
    Prefilled prefill(int[] tokens) {
        if (tokens.length >= contextLength()) {
            throw new ApiException(400, "invalid_request_error", "context_length_exceeded", null, "the conversation is "
                    + tokens.length + " tokens but the model's context holds " + contextLength() + "; shorten it");
        }
        PrefixCache.Lease lease = cache.checkout(tokens);
        PromptCache pc = lease.cache();
        int from = lease.reused();
        scheduler.prefill(tokens, from, tokens.length - from, pc.cache());
        pc.accepted(Arrays.copyOfRange(tokens, from, tokens.length));
        return new Prefilled(pc, from);
    }

    record Prefilled(PromptCache cache, int reused) {
    }

    private static int[] grow(int[] a, int needed) {
        return needed < a.length ? a : Arrays.copyOf(a, a.length * 2);
    }

    @Override
    public void close() {
        scheduler.close(); // waits for the step in progress: the model is unmapped next
        cache.close();
        generator.close();
    }
}
