package dev.kvasir.api;

import java.nio.file.Path;

/**
 * How {@link Kvasir#load} prepares a model.
 *
 * @param cacheDir       where {@link KvasirModel#generate} and {@link KvasirModel#chat} keep the prompt caches
 *                       of recent calls as .kvc files, so that a restarted program still finds them; null keeps
 *                       them in memory only. One process at a time per directory.
 * @param maxCachedPrompts how many computed prompts (with their answers) are kept for reuse, newest first;
 *                       each holds its whole KV cache in memory (and one file in {@code cacheDir})
 * @param chatTemplate   a Jinja chat template file replacing the model's own; null uses the model's
 *                       ({@code tokenizer.chat_template}, else ChatML)
 */
public record LoadOptions(Path cacheDir, int maxCachedPrompts, Path chatTemplate) {
    public LoadOptions {
        if (maxCachedPrompts < 0) {
            throw new IllegalArgumentException("maxCachedPrompts must be >= 0 (0 disables reuse), got " + maxCachedPrompts);
        }
    }

    /** No cache directory, up to 8 cached prompts, the model's own chat template. */
    public static LoadOptions defaults() {
        return new LoadOptions(null, 8, null);
    }

    public LoadOptions withCacheDir(Path dir) {
        return new LoadOptions(dir, maxCachedPrompts, chatTemplate);
    }

    public LoadOptions withMaxCachedPrompts(int n) {
        return new LoadOptions(cacheDir, n, chatTemplate);
    }

    public LoadOptions withChatTemplate(Path file) {
        return new LoadOptions(cacheDir, maxCachedPrompts, file);
    }
}
