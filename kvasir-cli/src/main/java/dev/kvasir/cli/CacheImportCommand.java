package dev.kvasir.cli;

import dev.kvasir.cache.MlxPromptCaches;
import dev.kvasir.cache.ModelIdentity;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.model.Model;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kvasir cache import IN.safetensors --format mlx -m MODEL OUT.kvc}: an mlx-lm prompt cache
 * (as {@code cache export} writes it, with its token ids) becomes a .kvc file for the model.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Read an mlx-lm prompt cache (safetensors) into a .kvc file for a model.")
final class CacheImportCommand implements Callable<Integer> {
    private final CliIo io;

    @Parameters(index = "0", paramLabel = "IN.safetensors")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT.kvc")
    Path out;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "mlx")
    String format;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "the GGUF model the cache belongs to")
    Path model;

    CacheImportCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        MlxFormat.check(format);
        Path modelFile = ModelLocator.locate(model, io);
        try (Model m = Model.load(modelFile)) {
            PromptCache cache = MlxPromptCaches.importFrom(in, ModelIdentity.of(m));
            CacheFiles.checkWritable(out);
            long bytes = cache.save(out);
            io.out().println(out + ": " + cache.size() + " tokens imported from mlx-lm (" + bytes + " bytes)");
        }
        return 0;
    }
}
