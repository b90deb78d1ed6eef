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
import java.util.Arrays;
import java.util.function.Consumer;

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
    private final long maxPromptBytes;

    Engine(Generator generator, String modelId, java.util.function.Function<ModelIdentity, PrefixCache> caches,
           ServerMetrics metrics) {
        this.generator = generator;
        this.modelId = modelId;
        this.identity = CacheIdentity.of(generator.model());
        this.chat = ChatPrompt.of(generator.model().gguf().metadata(), generator.tokenizer(), modelId);
        this.cache = caches.apply(identity);
        this.metrics = metrics;
        this.scheduler = new DecodeScheduler(generator.model(), metrics);
        // no token covers more input bytes than its own text (an unknown character: one <unk> of up to 4 bytes)
        this.maxPromptBytes = (long) contextLength() * Math.max(4, generator.tokenizer().vocabulary().maxTokenBytes());
    }

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

    /** The prompt's token ids: chat messages through the model's template (ChatML when it has none). */
    int[] tokenize(CompletionRequest request) {
        checkBytes(request);
        if (!request.isChat()) {
            return generator.tokenize(request.prompt());
        }
        try {
            return chat.tokens(generator.tokenizer(), ChatConversation.of(request.messages(), true));
        } catch (TemplateException e) {
            throw ApiException.invalid("messages", "the chat template cannot render these messages: " + e.getMessage());
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
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a surrogate pair: 4 bytes
        }
        return n;
    }

    /**
     * Generates for {@code prompt}, passing each piece of text to {@code out} as it is final; the
     * cache keeps every computed position, also when {@code cancel} stops it early.
     */
    Completion complete(int[] prompt, CompletionRequest request, Cancellation cancel, long startNanos,
                        Consumer<String> out) {
        String param = request.isChat() ? "messages" : "prompt";
        int ctx = contextLength();
        if (prompt.length == 0) {
            throw ApiException.invalid(param, "the prompt is empty after tokenization; send some text");
        }
        if (prompt.length >= ctx) {
            throw new ApiException(400, "invalid_request_error", "context_length_exceeded", param, "the prompt is "
                    + prompt.length + " tokens but the model's context holds " + ctx + "; shorten it");
        }
        int room = ctx - prompt.length;
        int maxTokens = request.maxTokens() < 0 ? room : Math.min(request.maxTokens(), room);
        PrefixCache.Lease lease = cache.checkout(prompt);
        PromptCache pc = lease.cache();
        int[] input = Arrays.copyOfRange(prompt, lease.reused(), prompt.length);
        Sampler sampler = new Sampler(request.sampling());
        for (int i = 0; i < lease.reused(); i++) {
            sampler.accept(prompt[i]); // the penalties see the whole prompt, as in a fresh run, not just the suffix
        }
        GenerationRequest generationRequest = new GenerationRequest(input, maxTokens, sampler, request.stop(), cancel);
        Generation generation;
        int[] sequence = Arrays.copyOf(input, input.length + Math.max(16, maxTokens));
        int generated = 0;
        StringBuilder text = new StringBuilder();
        try (DecodeScheduler.Sequence model = scheduler.open()) {
            generation = generator.start(generationRequest, pc.cache(), model);
            while (generation.hasNext()) {
                GeneratedToken t = generation.next();
                if (t.isToken()) {
                    if (generated == 0) {
                        metrics.firstToken(System.nanoTime() - startNanos);
                    }
                    sequence = grow(sequence, input.length + generated);
                    sequence[input.length + generated++] = t.token();
                }
                if (!t.text().isEmpty()) {
                    text.append(t.text());
                    out.accept(t.text());
                }
            }
        } finally {
            int computed = pc.cache().size() - pc.size();
            pc.accepted(Arrays.copyOf(sequence, computed));
            cache.checkin(pc);
            metrics.tokens(prompt.length, lease.reused(), generated);
        }
        return new Completion(text.toString(), generation.result().stopReason(), prompt.length, lease.reused(), generated);
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
