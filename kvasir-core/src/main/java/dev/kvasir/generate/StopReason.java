package dev.kvasir.generate;

/** Why a generation ended. */
public enum StopReason {
    /** The requested number of tokens was generated. */
    MAX_TOKENS,
    /** The model produced an end-of-generation token (EOS, EOT...). */
    END_OF_GENERATION,
    /** The text contained one of the user's stop strings. */
    STOP_STRING,
    /** The caller cancelled. */
    CANCELLED,
    /** The context window (the cache's capacity) is full. */
    CONTEXT_FULL
}
