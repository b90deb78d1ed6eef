/**
 * The Java facade: load a GGUF model with {@link dev.kvasir.api.Kvasir#load}, then generate, chat and
 * keep conversations whose prompt caches outlive the process.
 *
 * <pre>{@code
 * try (KvasirModel model = Kvasir.load(Path.of("stories260K.gguf"))) {
 *     Result r = model.generate("Once upon a time", Params.greedy().withMaxTokens(32), (id, text) -> System.out.print(text));
 *     Session chat = model.newSession("You are a storyteller.");
 *     chat.send("Tell me about a cat.", Params.defaults());
 *     chat.save(Path.of("cat.kvc"));          // later: Session.open(model, Path.of("cat.kvc"))
 * }
 * }</pre>
 *
 * <p>Thread safety: a {@link dev.kvasir.api.KvasirModel} may be shared by threads; its forward passes are
 * serialized (concurrent generations take turns token by token). A {@link dev.kvasir.api.Session} is not
 * thread-safe: use each from one thread at a time.
 */
package dev.kvasir.api;
