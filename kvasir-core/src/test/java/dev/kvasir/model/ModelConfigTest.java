package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.SharedData;
import dev.kvasir.cache.KvLayout;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
    @Test
    void stories260KHyperParameters() {
        try (Model model = Model.load(SharedData.model("stories260K.gguf"))) {
            // values as llama.cpp prints them when loading the file; freq_base is absent, so the default
            assertThat(model.config()).isEqualTo(new ModelConfig(Architecture.LLAMA, 64, 5, 8, 4, 8, 172, 2048,
                    1e-5f, 10000f, 1f, 8, 512));
            assertThat(model.config().kvLayout()).isEqualTo(new KvLayout(5, 4, 8));
            assertThat(model.weights().output()).isNotSameAs(model.weights().tokenEmbd());
        }
    }

    @Test
    void tinyLlamaHyperParameters() {
        try (Model model = Model.load(SharedData.model("tinyllama-v0-q4_0.gguf"))) {
            ModelConfig c = model.config();
            assertThat(c.headCount()).isEqualTo(16);
            assertThat(c.headCountKv()).isEqualTo(16);
            assertThat(c.headDim()).isEqualTo(4);
            assertThat(c.rmsNormEps()).isEqualTo(1e-6f);
            assertThat(c.vocabSize()).isEqualTo(32000);
        }
    }

    @Test
    void ropePairingFollowsLlamaCpp() {
        // llama.cpp's llama_model_rope_type: LLAMA → LLAMA_ROPE_TYPE_NORM, QWEN2 → LLAMA_ROPE_TYPE_NEOX
        assertThat(Architecture.LLAMA.ropeMode()).isEqualTo(RopeMode.NORMAL);
        assertThat(Architecture.QWEN2.ropeMode()).isEqualTo(RopeMode.NEOX);
    }

    @Test
    void inconsistentHeadCountsAreRefused() {
        assertThatThrownBy(() -> new ModelConfig(Architecture.LLAMA, 64, 1, 8, 3, 8, 172, 2048, 1e-5f, 1e4f, 1f, 8, 512))
                .isInstanceOf(KvasirException.class)
                .hasMessageContaining("head_count (8) is not a multiple of attention.head_count_kv (3)");
    }
}
