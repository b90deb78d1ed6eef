package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.SharedData;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.gguf.GgufMetadata;
import dev.kvasir.gguf.GgufTensorInfo;
import dev.kvasir.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors about a model's content name the file as the user gave it, folder included, not only its file name. */
class ModelFileErrorsTest {
    @TempDir
    Path tmp;

    /** stories260K copied into a subfolder with {@code edit} applied; tensors named in {@code drop} left out. */
    private Path variant(String name, Consumer<GgufWriter> edit, String drop) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("models"));
        Path out = dir.resolve(name);
        try (GgufFile source = GgufFile.open(SharedData.model("stories260K.gguf"))) {
            GgufWriter w = new GgufWriter();
            GgufMetadata md = source.metadata();
            md.keys().forEach(k -> w.put(k, md.type(k), md.raw(k)));
            for (GgufTensorInfo t : source.tensors()) {
                if (!t.name().equals(drop)) {
                    w.addTensor(t.name(), t.type(), t.shape(), source.tensorData(t));
                }
            }
            edit.accept(w);
            w.write(out);
        }
        return out;
    }

    @Test
    void unsupportedArchitectureNamesTheWholePath() throws IOException {
        Path file = variant("m.gguf", w -> w.putString("general.architecture", "mamba"), null);
        assertThatThrownBy(() -> Model.load(file).close()).isInstanceOf(KvasirException.class)
                .hasMessageStartingWith(file + ": model architecture 'mamba' is not supported");
    }

    @Test
    void missingTensorNamesTheWholePath() throws IOException {
        Path file = variant("m.gguf", w -> {}, "output_norm.weight");
        assertThatThrownBy(() -> Model.load(file).close()).isInstanceOf(KvasirException.class)
                .hasMessageStartingWith(file + ": required tensor 'output_norm.weight' is missing");
    }

    @Test
    void inconsistentMetadataNamesTheWholePath() throws IOException {
        Path file = variant("m.gguf", w -> w.putUint32("llama.attention.value_length", 3), null);
        assertThatThrownBy(() -> Model.load(file).close()).isInstanceOf(KvasirException.class)
                .hasMessageStartingWith(file + ": attention.value_length 3 differs");
    }
}
