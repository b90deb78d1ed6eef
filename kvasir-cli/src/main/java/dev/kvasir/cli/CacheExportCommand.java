package dev.kvasir.cli;

import dev.kvasir.cache.MlxPromptCaches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kvasir cache export F --format mlx OUT.safetensors}: a full cache as an mlx-lm prompt cache. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a full cache as an mlx-lm prompt cache (safetensors); see docs/cache-format.md.")
final class CacheExportCommand implements Callable<Integer> {
    private final CliIo io;

    @Parameters(index = "0", paramLabel = "FILE.kvc")
    Path file;

    @Parameters(index = "1", paramLabel = "OUT.safetensors")
    Path out;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "mlx")
    String format;

    CacheExportCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        MlxFormat.check(format);
        StoredCache c = StoredCache.open(file, io);
        MlxPromptCaches.export(c.cache(), out);
        io.out().println(out + ": " + c.tokens() + " tokens exported for mlx-lm (" + Files.size(out) + " bytes)");
        return 0;
    }
}
