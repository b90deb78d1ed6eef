package dev.kvasir.workflow;

/**
 * The user metadata keys the CLI workflows store in .kvc files, in one place so that every
 * command reads what the others write.
 */
public final class CacheKeys {
    /** What the file holds: {@link #DOCUMENT}, {@link #GENERATION} or {@link #CHAT}. */
    public static final String KIND = "kind";
    public static final String DOCUMENT = "document";
    public static final String GENERATION = "generation";
    public static final String CHAT = "chat";
    /** Absolute path of the model file the cache was made with, so {@code -m} can be omitted. */
    public static final String MODEL_FILE = "model.file";
    /** The text whose tokens the cache holds (or is being filled with); re-tokenized to extend it. */
    public static final String TEXT = "text";
    /** How many tokens the text has: the cache is complete when it holds that many. */
    public static final String TEXT_TOKENS = "text.tokens";

    private CacheKeys() {}
}
