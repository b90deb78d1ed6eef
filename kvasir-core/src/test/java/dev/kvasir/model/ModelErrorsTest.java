package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.KvCache;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad models and bad inputs fail with one-line messages that name the problem. */
class ModelErrorsTest {
    @TempDir
    Path dir;

    @Test
    void unsupportedArchitectureIsNamedWithTheSupportedOnes() {
        SyntheticGguf gguf = new SyntheticGguf();
        gguf.architecture = "gpt2";
        Path file = gguf.write(dir);
        assertThatThrownBy(() -> Model.load(file))
                .isInstanceOf(KvasirException.class)
                .hasMessageContaining("gpt2-synthetic.gguf")
                .hasMessageContaining("'gpt2' is not supported")
                .hasMessageContaining("llama, qwen2");
    }

    @Test
    void missingTensorIsNamed() {
        SyntheticGguf gguf = new SyntheticGguf();
        gguf.omitted.add("blk.1.ffn_up.weight");
        Path file = gguf.write(dir);
        assertThatThrownBy(() -> Model.load(file))
                .isInstanceOf(KvasirException.class)
                .hasMessageContaining("'blk.1.ffn_up.weight' is missing");
    }

    @Test
    void tensorShapeMustFitTheMetadata() {
        SyntheticGguf gguf = new SyntheticGguf();
        gguf.declaredKvHeads = 4;
        Path file = gguf.write(dir);
        assertThatThrownBy(() -> Model.load(file))
                .isInstanceOf(KvasirException.class)
                .hasMessageContaining("'blk.0.attn_k.weight' has shape [16, 8] but the model's metadata implies [16, 16]");
    }

    @Test
    void unsupportedRopeScalingIsRefused() {
        SyntheticGguf gguf = new SyntheticGguf();
        gguf.ropeScalingType = "dynamic"; // llama.cpp knows none, linear, yarn and longrope only
        gguf.ropeScalingFactor = 4f;
        Path file = gguf.write(dir);
        assertThatThrownBy(() -> Model.load(file))
                .isInstanceOf(KvasirException.class)
                .hasMessageContaining("RoPE scaling type 'dynamic' is not supported (none, linear, yarn or longrope)");
    }

    @Test
    void promptLongerThanTheContextIsRefused() {
        SyntheticGguf gguf = new SyntheticGguf();
        gguf.context = 16;
        try (Model model = Model.load(gguf.write(dir))) {
            KvCache cache = model.newCache();
            assertThatThrownBy(() -> model.forward(new int[17], 0, 17, cache))
                    .isInstanceOf(KvasirException.class)
                    .hasMessageContaining("prompt has 17 tokens but the context is 16");
            assertThat(cache.size()).isZero();

            model.forward(new int[16], 0, 16, cache);
            assertThatThrownBy(() -> model.forward(new int[1], 0, 1, cache))
                    .isInstanceOf(KvasirException.class)
                    .hasMessageContaining("prompt has 17 tokens but the context is 16");
            assertThat(cache.size()).isEqualTo(16);
        }
    }

    @Test
    void tokenOutsideTheVocabularyIsRefused() {
        try (Model model = Model.load(new SyntheticGguf().write(dir))) {
            assertThatThrownBy(() -> model.forward(new int[] {1, 40}, 0, 2, model.newCache()))
                    .isInstanceOf(KvasirException.class)
                    .hasMessageContaining("token id 40")
                    .hasMessageContaining("vocabulary of 40");
        }
    }
}
