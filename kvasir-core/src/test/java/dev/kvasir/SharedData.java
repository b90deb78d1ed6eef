package dev.kvasir;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the read-only {@code shared/} folder (real models, tokenizers, references) that sits next to the repo.
 * Tests that need it are skipped, with a message, when it is absent (e.g. on a user's machine).
 */
public final class SharedData {
    private static final Path ROOT = find();

    private SharedData() {}

    private static Path find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("models"))) {
                return candidate;
            }
            if (Files.isDirectory(dir.resolve("shared/models"))) {
                return dir.resolve("shared");
            }
        }
        return null;
    }

    /** A file under shared/, e.g. {@code file("models/stories260K.gguf")}; skips the test when it is missing. */
    public static Path file(String relative) {
        assumeTrue(ROOT != null, "shared/ folder not found next to the repository; skipping test that needs " + relative);
        Path p = ROOT.resolve(relative);
        assumeTrue(Files.exists(p), "shared file missing: " + p);
        return p;
    }

    public static Path model(String name) {
        return file("models/" + name);
    }
}
