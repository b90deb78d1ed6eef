package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.workflow.CacheKeys;
import java.nio.file.Files;
import java.nio.file.Path;

/** Which model to load for a cache file: {@code -m}, else the model file the cache names, else the usual lookup. */
final class CacheModel {
    private CacheModel() {}

    static Path locate(Path explicit, Path cacheFile, CliIo io) {
        if (explicit != null || cacheFile == null || !Files.isRegularFile(cacheFile)) {
            return ModelLocator.locate(explicit, io);
        }
        String named = PromptCache.readHeader(cacheFile).metadata().get(CacheKeys.MODEL_FILE);
        if (named == null) {
            return ModelLocator.locate(null, io);
        }
        Path model = Path.of(named);
        if (!Files.isRegularFile(model)) {
            throw new KvasirException(cacheFile + ": the cache was made with model " + named
                    + ", which no longer exists; pass -m with that model");
        }
        return model;
    }
}
