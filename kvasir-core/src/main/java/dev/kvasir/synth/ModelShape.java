package dev.kvasir.synth;

import dev.kvasir.KvasirException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The hyper-parameters of a llama-family model to synthesize: real models' shapes, so benchmarks on
 * random weights move the same bytes and FLOPs as the real thing.
 */
public record ModelShape(String name, int embeddingLength, int blockCount, int headCount, int headCountKv,
                         int feedForwardLength, int contextLength, float ropeFreqBase) {

    /** The named shapes {@code kvasir dev synth --shape} accepts. */
    public enum Preset {
        TINYLLAMA_1_1B("tinyllama-1.1b", new ModelShape("TinyLlama-1.1B shape", 2048, 22, 32, 4, 5632, 2048, 10000f)),
        LLAMA_3_2_1B("llama-3.2-1b", new ModelShape("Llama-3.2-1B shape", 2048, 16, 32, 8, 8192, 4096, 500000f)),
        LLAMA_110M("llama-110m", new ModelShape("llama 110M shape", 768, 12, 12, 12, 2048, 1024, 10000f)),
        /** Small enough for unit tests, yet every row is a multiple of the 256-element K-quant block. */
        TINY("tiny", new ModelShape("tiny test shape", 256, 2, 4, 2, 512, 512, 10000f));

        private final String id;
        private final ModelShape shape;

        Preset(String id, ModelShape shape) {
            this.id = id;
            this.shape = shape;
        }

        public String id() {
            return id;
        }

        public ModelShape shape() {
            return shape;
        }

        public static ModelShape byId(String id) {
            return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst().map(Preset::shape)
                    .orElseThrow(() -> new KvasirException("unknown model shape '" + id + "'; use one of " + ids()));
        }

        public static String ids() {
            return Arrays.stream(values()).map(Preset::id).collect(Collectors.joining(", "));
        }
    }

    public ModelShape {
        if (headCount <= 0 || headCountKv <= 0 || embeddingLength % headCount != 0 || headCount % headCountKv != 0) {
            throw new IllegalArgumentException(name + ": embedding " + embeddingLength + " must split into " + headCount
                    + " heads, a multiple of " + headCountKv + " KV heads");
        }
    }

    public int headDim() {
        return embeddingLength / headCount;
    }

    public int kvDim() {
        return headDim() * headCountKv;
    }

    /** Weights of the model with a vocabulary of {@code vocab} tokens (untied output matrix, as TinyLlama). */
    public long parameterCount(int vocab) {
        long d = embeddingLength;
        long perLayer = 2 * d + d * d * 2 + d * kvDim() * 2L + 3 * d * feedForwardLength;
        return blockCount * perLayer + 2 * d * vocab + d;
    }
}
