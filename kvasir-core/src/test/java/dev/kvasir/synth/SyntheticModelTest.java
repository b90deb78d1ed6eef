package dev.kvasir.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.SharedData;
import dev.kvasir.generate.GenerationRequest;
import dev.kvasir.generate.GenerationResult;
import dev.kvasir.generate.Generator;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.model.Model;
import dev.kvasir.model.ModelConfig;
import dev.kvasir.sample.SamplerSettings;
import dev.kvasir.tensor.GgmlType;
import dev.kvasir.tensor.WeightMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticModelTest {
    static final ModelShape TINY = ModelShape.Preset.TINY.shape();

    @TempDir
    Path dir;

    Path synth(GgmlType type, long seed, String name) {
        Path out = dir.resolve(name);
        new SyntheticModel(TINY, type, seed).write(SharedData.model("stories260K.gguf"), out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    void loadsWithTheShapeAndDonorVocabularyAndGeneratesFiniteText(GgmlType type) {
        Path file = synth(type, 7, "tiny-" + type + ".gguf");
        try (Generator generator = Generator.load(file)) {
            ModelConfig c = generator.model().config();
            assertThat(new int[] {c.embeddingLength(), c.blockCount(), c.headCount(), c.headCountKv(), c.feedForwardLength(),
                    c.vocabSize()}).containsExactly(256, 2, 4, 2, 512, 512);
            assertThat(generator.model().weights().layers().get(0).attnQ().getClass().getSimpleName()).contains(type.name());
            int[] prompt = generator.tokenize("Once upon a time");
            assertThat(prompt).hasSizeGreaterThan(2); // the donor's SentencePiece vocabulary came along

            float[] logits = generator.model().forward(prompt, 0, prompt.length, generator.newCache());
            assertThat(logits).hasSize(512);
            for (float v : logits) {
                assertThat(v).isFinite();
            }
            float spread = max(logits) - min(logits);
            assertThat(spread).as("random weights give non-constant, non-exploding logits").isBetween(1e-4f, 100f);

            GenerationResult r = generator.generate(GenerationRequest.of(prompt, 8, SamplerSettings.greedy()),
                    generator.newCache(), (id, text) -> {});
            assertThat(r.generatedTokens()).hasSize(8);
        }
    }

    @Test
    void weightsHaveTheRequestedScaleAndNormsAreOne() {
        Path file = synth(GgmlType.F32, 3, "f32.gguf");
        try (Model model = Model.load(file)) {
            WeightMatrix up = model.weights().layers().get(1).ffnUp();
            float[] row = new float[256];
            double sum = 0;
            double squares = 0;
            for (int r = 0; r < up.rows(); r++) {
                up.dequantizeRow(r, row, 0);
                for (float v : row) {
                    sum += v;
                    squares += v * v;
                }
            }
            double n = (double) up.rows() * up.cols();
            assertThat(sum / n).isBetween(-0.001, 0.001);
            assertThat(Math.sqrt(squares / n)).isBetween(0.0195, 0.0205);
            assertThat(model.weights().layers().get(0).attnNorm()).containsOnly(1f);
        }
    }

    @Test
    void sameSeedGivesTheSameFileAndAnotherSeedDifferentWeights() throws Exception {
        byte[] a = Files.readAllBytes(synth(GgmlType.Q4_K, 11, "a.gguf"));
        byte[] b = Files.readAllBytes(synth(GgmlType.Q4_K, 11, "b.gguf"));
        byte[] c = Files.readAllBytes(synth(GgmlType.Q4_K, 12, "c.gguf"));
        assertThat(a).isEqualTo(b);
        assertThat(Arrays.equals(a, c)).isFalse();
        assertThat(c).hasSameSizeAs(a);
    }

    @Test
    void copiesEveryTokenizerKeyOfTheDonor() {
        Path donor = SharedData.model("stories260K.gguf");
        try (GgufFile d = GgufFile.open(donor); GgufFile s = GgufFile.open(synth(GgmlType.Q8_0, 1, "q8.gguf"))) {
            d.metadata().keys().stream().filter(k -> k.startsWith("tokenizer.")).forEach(k ->
                    assertThat(s.metadata().raw(k)).as(k).usingRecursiveComparison().isEqualTo(d.metadata().raw(k)));
            assertThat(s.metadata().getInt("general.file_type")).isEqualTo(7);
            assertThat(s.tensors()).hasSize(2 + 9 * 2 + 1);
        }
    }

    @Test
    void refusesShapesATypeCannotStoreAndUnknownShapes() {
        ModelShape odd = new ModelShape("odd", 96, 1, 2, 1, 192, 64, 10000f);
        Path donor = SharedData.model("stories260K.gguf"); // outside the lambda: a missing shared/ skips, not fails
        assertThatThrownBy(() -> new SyntheticModel(odd, GgmlType.Q4_K, 1).write(donor, dir.resolve("odd.gguf")))
                .isInstanceOf(KvasirException.class).hasMessageContaining("token_embd.weight").hasMessageContaining("Q4_K");
        assertThat(dir.resolve("odd.gguf")).doesNotExist();
        assertThatThrownBy(() -> ModelShape.Preset.byId("gpt-5")).hasMessageContaining("tinyllama-1.1b");
        assertThatThrownBy(() -> new SyntheticModel(TINY, GgmlType.IQ2_XS, 1)).isInstanceOf(KvasirException.class);
    }

    @Test
    void parameterCountOfTinyLlamaShape() {
        // TinyLlama-1.1B: 1,100,048,384 parameters with its 32000-token vocabulary
        assertThat(ModelShape.Preset.TINYLLAMA_1_1B.shape().parameterCount(32000)).isEqualTo(1_100_048_384L);
    }

    private static float max(float[] a) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static float min(float[] a) {
        float m = Float.POSITIVE_INFINITY;
        for (float v : a) {
            m = Math.min(m, v);
        }
        return m;
    }
}
