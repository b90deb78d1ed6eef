package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the model file: {@code -m}, else {@code $KVASIR_MODEL}, else the bundled-by-convention
 * stories260K next to the working directory, else next to the Kvasir install (the checkout holding bin/).
 */
final class ModelLocator {
    static final String ENV = "KVASIR_MODEL";
    static final Path DEFAULT = Path.of("..", "shared", "models", "stories260K.gguf");

    private ModelLocator() {}

    static Path locate(Path explicit, CliIo io) {
        if (explicit != null) {
            return existing(io.workingDir().resolve(explicit), "-m");
        }
        String env = io.env().get(ENV);
        if (env != null && !env.isBlank()) {
            return existing(io.workingDir().resolve(env), "$" + ENV);
        }
        Path local = io.workingDir().resolve(DEFAULT).normalize();
        if (Files.isRegularFile(local)) {
            return local;
        }
        return Optional.ofNullable(io.installDir()).map(dir -> dir.resolve(DEFAULT).normalize())
                .filter(Files::isRegularFile)
                .orElseThrow(() -> new KvasirException("no model given: pass -m MODEL.gguf or set " + ENV
                        + " to a llama-family GGUF file (e.g. stories260K.gguf)"));
    }

    private static Path existing(Path path, String source) {
        if (!Files.exists(path)) {
            throw new KvasirException(path + ": model file not found (from " + source
                    + "); pass -m with a GGUF file or set " + ENV);
        }
        if (Files.isDirectory(path)) {
            throw new KvasirException(path + ": is a directory, not a model file; pass -m with a GGUF file");
        }
        return path;
    }

    /**
     * The checkout or install root: the code lives in {@code ROOT/kvasir-cli/target/kvasir.jar}
     * (or {@code .../target/classes} when run from the build), three levels down.
     */
    static Optional<Path> installDir() {
        try {
            var source = Main.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path code = Path.of(source.getLocation().toURI()).toAbsolutePath();
            return Optional.ofNullable(code.getParent()).map(Path::getParent).map(Path::getParent);
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}
