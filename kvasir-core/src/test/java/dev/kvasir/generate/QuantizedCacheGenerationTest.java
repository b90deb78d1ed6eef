package dev.kvasir.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.KvCache;
import dev.kvasir.model.Model;
import dev.kvasir.sample.SamplerSettings;
import dev.kvasir.tensor.GgmlType;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Quantized KV caches on the real stories260K model: 8-bit keeps llama-server's greedy tokens, and
 * both widths keep every logit within a stated bound of the F32 cache's.
 */
class QuantizedCacheGenerationTest {
    private static Generator generator;

    @BeforeAll
    static void load() {
        generator = Generator.load(SharedData.model("stories260K.gguf"));
    }

    @AfterAll
    static void close() {
        if (generator != null) {
            generator.close();
        }
    }

    /** The CLI's default: mlx-lm's group of 64, or the largest power of two dividing a smaller KV row (32 here). */
    private static KvCache quantized(int bits) {
        var layout = generator.model().config().kvLayout();
        return CacheOptions.quantized(bits, Math.min(64, Integer.lowestOneBit(layout.kvDim()))).newCache(layout);
    }

    @ParameterizedTest
    @ValueSource(strings = {"p1_once.llama-server.json", "p3_lily_tom.llama-server.json"})
    void eightBitCacheGivesTheF16CachesGreedyTokens(String name) {
        LlamaServerReference ref = LlamaServerReference.load(name);
        int[] f16 = greedy(ref, generator.newCache());
        int[] q8 = greedy(ref, quantized(8));
        assertThat(f16).as("F16 cache vs llama-server").containsExactly(ref.generatedTokenIds());
        assertThat(q8).as("8-bit cache vs F16 cache").containsExactly(f16);
    }

    private static int[] greedy(LlamaServerReference ref, KvCache cache) {
        return generator.generate(GenerationRequest.of(ref.promptTokenIds(), 64, SamplerSettings.greedy()), cache,
                (id, text) -> { }).generatedTokens();
    }

    /**
     * Teacher-forced over prompt + llama-server's 64 tokens, every step's logits stay within
     * {@code bound} (absolute) of those with an F32 cache (logits span about 37 here). Measured maxima
     * with group 32: 8-bit 0.66 / 0.61, 4-bit 14.5 / 10.3 (p1 / p3); an F16 cache is at 0.02. The error
     * scales with the quantization step (4-bit/8-bit ≈ 22, steps 255/15 = 17) and shrinks with smaller
     * groups (4-bit group 8: 9.1), so it is rounding, not a defect; but 4-bit is lossy on this model
     * (head dim 8): its greedy argmax differs from F32's at about 1 step in 3 on p1.
     */
    @ParameterizedTest
    @CsvSource({"p1_once.llama-server.json, 8, 1.0", "p3_lily_tom.llama-server.json, 8, 1.0",
            "p1_once.llama-server.json, 4, 20.0", "p3_lily_tom.llama-server.json, 4, 20.0"})
    void logitsStayWithinABoundOfTheF32Cache(String name, int bits, double bound) {
        LlamaServerReference ref = LlamaServerReference.load(name);
        int[] text = IntStream.concat(Arrays.stream(ref.promptTokenIds()), Arrays.stream(ref.generatedTokenIds())).toArray();
        Model model = generator.model();
        KvCache f32 = CacheOptions.full(GgmlType.F32).newCache(model.config().kvLayout());
        KvCache quant = quantized(bits);
        int prompt = ref.promptTokenIds().length;
        double worst = maxAbsDiff(model.forward(text, 0, prompt, f32).clone(), model.forward(text, 0, prompt, quant));
        for (int i = prompt; i < text.length; i++) {
            worst = Math.max(worst, maxAbsDiff(model.forward(text, i, 1, f32).clone(), model.forward(text, i, 1, quant)));
        }
        assertThat(worst).isLessThanOrEqualTo(bound).isGreaterThan(0.0);
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
