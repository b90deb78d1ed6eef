package dev.kvasir.examples;

import dev.kvasir.api.*;
import java.nio.file.Path;

/** A chat of two turns whose second computes only the new tokens; the conversation is saved for later. Args: MODEL.gguf [SESSION.kvc]. */
public class HelloKvasir {
    public static void main(String[] args) {
        try (KvasirModel model = Kvasir.load(Path.of(args.length > 0 ? args[0] : "../shared/models/stories260K.gguf"))) {
            Session chat = model.newSession("You are a storyteller.");
            for (String question : new String[] {"Tell me about a cat.", "What did the cat eat?"}) {
                Result r = chat.send(question, Params.greedy().withMaxTokens(40), (id, text) -> System.out.print(text));
                System.out.printf("%n[%d prompt tokens: %d cached, %d computed]%n", r.promptTokens(), r.cachedTokens(), r.computedTokens());
            }
            chat.save(Path.of(args.length > 1 ? args[1] : "cat.kvc")); // later: Session.open(model, path) continues it
        }
    }
}
