package dev.kvasir.cache;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child process for {@link KvcCrashTest}: loads (or creates) a cache file and keeps adding synthetic
 * tokens and checkpointing until it is killed. Batch sizes follow the position, so every run adds
 * the same content per position as an uninterrupted one.
 */
public final class KvcCrashChild {
    private KvcCrashChild() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        CacheOptions options = KvcCrashTest.options(args[1]);
        PromptCache pc = Files.exists(file) ? PromptCache.load(file, KvcCrashTest.MODEL)
                : PromptCache.create(KvcCrashTest.MODEL, options);
        System.out.println("ready " + pc.size());
        System.out.flush();
        while (pc.size() < KvcCrashTest.LIMIT) {
            int pos = pc.size();
            SyntheticKv.fill(pc, KvcCrashTest.SEED, Math.min(KvcCrashTest.LIMIT, pos + 1 + pos % 23), 64);
            pc.save(file);
            System.out.println("saved " + pc.size());
        }
    }
}
