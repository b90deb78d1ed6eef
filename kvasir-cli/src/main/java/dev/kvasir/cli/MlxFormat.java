package dev.kvasir.cli;

import dev.kvasir.KvasirException;

/** The {@code --format} of {@code cache export/import}: mlx-lm's prompt-cache safetensors layout is the one there is. */
final class MlxFormat {
    private MlxFormat() {
    }

    static void check(String format) {
        if (!"mlx".equals(format)) {
            throw new KvasirException("unknown cache format '" + format + "': the supported one is 'mlx' (mlx-lm's prompt-cache safetensors)");
        }
    }
}
