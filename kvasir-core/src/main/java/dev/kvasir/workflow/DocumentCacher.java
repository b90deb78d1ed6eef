package dev.kvasir.workflow;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.model.Model;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Fills a prompt cache with a long token sequence: the longest common prefix with what the cache
 * already holds is kept (a resumed or extended document), the rest is computed {@code chunk} tokens
 * per forward pass (so activation memory is bounded by the chunk), and a checkpoint is appended to
 * the file whenever {@code checkpointEvery} tokens were computed since the last one. A killed run
 * loses at most the tokens after its last checkpoint.
 */
public final class DocumentCacher {
    /** Progress after each chunk: tokens held of total, computed in this run, and nanoseconds spent computing. */
    public record Progress(int done, int total, int computed, long nanos) {
        public double tokensPerSecond() {
            return nanos > 0 ? computed * 1e9 / nanos : 0;
        }

        /** Seconds left at the current speed, or -1 when unknown. */
        public double etaSeconds() {
            double speed = tokensPerSecond();
            return speed > 0 ? (total - done) / speed : -1;
        }
    }

    @FunctionalInterface
    public interface Listener {
        void onProgress(Progress progress, boolean checkpointed);
    }

    /** What a run did: tokens reused from the file, computed now, checkpoints appended, bytes written. */
    public record Result(int reused, int computed, int total, int checkpoints, long bytesWritten, long nanos) {}

    private final Model model;
    private final int chunk;
    private final int checkpointEvery;

    public DocumentCacher(Model model, int chunk, int checkpointEvery) {
        if (chunk < 1) {
            throw new KvasirException("--chunk must be at least 1 token, got " + chunk);
        }
        if (checkpointEvery < 1) {
            throw new KvasirException("--checkpoint-every must be at least 1 token, got " + checkpointEvery);
        }
        this.model = model;
        this.chunk = chunk;
        this.checkpointEvery = checkpointEvery;
    }

    /** Makes {@code cache} hold exactly {@code target}, saving checkpoints to {@code file}. */
    public Result fill(PromptCache cache, int[] target, Path file, Listener listener) {
        int limit = model.config().contextLength();
        if (target.length > limit) {
            throw new KvasirException("the text has " + target.length + " tokens but the model's context holds "
                    + limit + "; shorten the text or use a model with a longer context");
        }
        int before = cache.size();
        int reused = keepCommonPrefix(cache, target);
        model.setPrefillChunk(chunk);
        long start = System.nanoTime();
        long bytes = 0;
        int checkpoints = 0;
        int sinceSave = 0;
        boolean fileCurrent = reused == before && file.toAbsolutePath().normalize().equals(cache.file());
        while (cache.size() < target.length) {
            int from = cache.size();
            int n = Math.min(chunk, target.length - from);
            model.forward(target, from, n, cache.cache());
            cache.accepted(Arrays.copyOfRange(target, from, from + n));
            sinceSave += n;
            boolean save = sinceSave >= checkpointEvery || cache.size() == target.length;
            if (save) {
                bytes += cache.save(file);
                checkpoints++;
                sinceSave = 0;
                fileCurrent = true;
            }
            listener.onProgress(new Progress(cache.size(), target.length, cache.size() - reused,
                    System.nanoTime() - start), save);
        }
        if (!fileCurrent) {
            bytes += cache.save(file); // the seam was trimmed or the file is new: persist even without new tokens
            checkpoints++;
        }
        return new Result(reused, target.length - reused, target.length, checkpoints, bytes, System.nanoTime() - start);
    }

    /** Trims what {@code target} does not share; returns the tokens kept. */
    private static int keepCommonPrefix(PromptCache cache, int[] target) {
        int keep = cache.commonPrefix(target);
        if (keep < cache.size() && cache.trim(cache.size() - keep) == 0) {
            cache.clear();
        }
        return cache.size();
    }
}
