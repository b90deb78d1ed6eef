package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code generate --checkpoint GEN.kvc [--checkpoint-every N]} and {@code generate --resume GEN.kvc}. */
final class GenerateCheckpointOptions {
    @Option(names = "--checkpoint", paramLabel = "GEN.kvc",
            description = "Save the generation (KV cache, sampler state, settings) to this file as it runs.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "32",
            description = "With --checkpoint: save every N generated tokens (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--force", description = "With --checkpoint: overwrite the file if it exists.")
    boolean force;

    @Option(names = "--resume", paramLabel = "GEN.kvc", description = "Continue a checkpointed generation (its settings are used).")
    Path resume;

    boolean active() {
        return checkpoint != null || resume != null;
    }

    /** The file to load (resume) or write. */
    Path file(CliIo io) {
        return io.workingDir().resolve(resume != null ? resume : checkpoint);
    }

    void validate(GenerateCacheOptions cache, CliIo io) {
        if (checkpoint != null && resume != null) {
            throw new KvasirException("give either --checkpoint (a new generation) or --resume (continue one), not both");
        }
        if (resume != null && cache.active()) {
            throw new KvasirException("--resume cannot be combined with --cache: the checkpoint file holds the whole cache; drop --cache");
        }
        if (checkpoint != null && (cache.save || cache.saveAs != null)) {
            throw new KvasirException("--save and --save-as cannot be combined with --checkpoint: the checkpoint file "
                    + "already holds the cache extended by the generation; drop --save/--save-as");
        }
        if (checkpoint != null && cache.active() && file(io).toAbsolutePath().normalize()
                .equals(cache.cachePath(io).toAbsolutePath().normalize())) {
            throw new KvasirException(checkpoint + ": --checkpoint must name a new file, not the --cache file it starts from");
        }
        if (checkpoint != null && !force && java.nio.file.Files.exists(file(io))) {
            throw new KvasirException(file(io) + ": exists; continue that generation with --resume " + checkpoint
                    + ", or pass --force to overwrite it");
        }
        if (every < 1) {
            throw new KvasirException("--checkpoint-every must be at least 1 token, got " + every);
        }
    }
}
