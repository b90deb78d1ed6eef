package dev.kvasir.tokenizer;

/** A piece of the input after special tokens were parsed out: raw text, or one special token id. */
public sealed interface Fragment {
    record Text(String text) implements Fragment {
    }

    record Special(int id) implements Fragment {
    }
}
