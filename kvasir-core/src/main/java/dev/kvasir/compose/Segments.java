package dev.kvasir.compose;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.generate.Generator;
import java.util.Arrays;

/**
 * Document segments: a cache holding a shared prefix (e.g. a system prompt) followed by one
 * document, made to be composed with others after the same prefix. The text after the prefix is
 * tokenized on its own (no BOS), so the composed prompt's ids are the prefix's ids followed by each
 * segment's and the question's, whatever order they are composed in.
 */
public final class Segments {
    /** Metadata: how many leading tokens of a segment cache are its prefix. */
    public static final String PREFIX_TOKENS = "segment.prefix.tokens";
    /** Metadata: the prefix cache file the segment was computed after. */
    public static final String AFTER = "segment.after";

    private Segments() {
    }

    /** Ids of a piece of text that follows other tokens: no BOS, special tokens not parsed. */
    public static int[] continuation(Generator generator, String text) {
        return generator.tokenizer().encode(text, false, false);
    }

    /** The ids a segment cache of {@code text} after {@code prefixIds} holds. */
    public static int[] after(int[] prefixIds, Generator generator, String text) {
        int[] doc = continuation(generator, text);
        if (doc.length == 0) {
            throw new KvasirException("the document text is empty; give a non-empty document");
        }
        return join(prefixIds, doc);
    }

    /** The ids of pieces that follow each other, in order: a composed prompt is prefix, documents, question. */
    public static int[] join(int[]... pieces) {
        int n = 0;
        for (int[] p : pieces) {
            n += p.length;
        }
        int[] ids = new int[n];
        int at = 0;
        for (int[] p : pieces) {
            System.arraycopy(p, 0, ids, at, p.length);
            at += p.length;
        }
        return ids;
    }

    /** Records in {@code segment} which prefix it follows; refuses a segment that follows another one. */
    public static void mark(PromptCache segment, PromptCache prefix) {
        String recorded = segment.metadata().get(PREFIX_TOKENS);
        int n = prefix.size();
        int[] ids = segment.tokens();
        boolean continues = ids.length >= n && Arrays.equals(ids, 0, n, prefix.tokens(), 0, n);
        if (segment.file() != null && (recorded == null || Integer.parseInt(recorded) != n || !continues)) {
            throw new KvasirException(segment.file() + ": is not a segment after " + prefix.file()
                    + "; choose a new --cache file for this document");
        }
        segment.putMetadata(PREFIX_TOKENS, Integer.toString(n));
        if (prefix.file() != null) {
            segment.putMetadata(AFTER, prefix.file().toString());
        }
    }
}
