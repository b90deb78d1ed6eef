package dev.kvasir.synth;

import dev.kvasir.SharedData;
import dev.kvasir.json.Json;
import dev.kvasir.tensor.GgmlType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The synthetic family models of {@code kvasir dev synth --arch} with llama.cpp's outputs on them
 * ({@code src/test/resources/reference/arch/}, made by {@code scripts/gen-arch-references.py}), for
 * tests in any package. Models are regenerated once per test JVM into a temporary directory.
 */
public final class ArchReferences {
    /** The families with stored references. */
    public static final List<String> ARCHS = List.of("qwen3", "smollm3", "granite", "phi3", "gemma2", "gemma3");

    private static final Map<String, Path> MODELS = new HashMap<>();
    private static Path dir;

    private ArchReferences() {
    }

    /** {@code reference/arch/<arch>-<type>.llama-server.json}, parsed. */
    public static Map<?, ?> reference(String arch, String type) {
        String name = "/reference/arch/" + arch + "-" + type + ".llama-server.json";
        try (InputStream in = ArchReferences.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name + "; run scripts/gen-arch-references.py");
            }
            return (Map<?, ?>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The model the reference was recorded on, regenerated (a test skips when shared/ is absent). */
    public static synchronized Path model(String arch, String type) {
        String key = arch + "-" + type;
        Path existing = MODELS.get(key);
        if (existing != null) {
            return existing;
        }
        Map<?, ?> ref = reference(arch, type);
        Path vocab = SharedData.file("tokenizers/" + ref.get("vocab"));
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("kvasir-arch-");
                dir.toFile().deleteOnExit();
            }
            Path file = dir.resolve(key + ".gguf");
            new ArchModel(ArchShape.Preset.byArch(arch), GgmlType.valueOf(type.toUpperCase(Locale.ROOT)),
                    ((Number) ref.get("seed")).longValue()).write(vocab, file);
            file.toFile().deleteOnExit();
            MODELS.put(key, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Case {@code i} of a reference: prompt ids and llama.cpp's greedy ids. */
    public static int[][] promptAndGreedy(String arch, String type, int i) {
        Map<?, ?> c = (Map<?, ?>) ((List<?>) reference(arch, type).get("cases")).get(i);
        return new int[][] {ints(c.get("prompt_ids")), ints(c.get("generated_ids"))};
    }

    public static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }
}
