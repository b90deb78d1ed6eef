package dev.kvasir.model;

import dev.kvasir.tensor.WeightMatrix;
import java.util.List;
import java.util.stream.IntStream;

/**
 * All weights of a model, backed by the GGUF file's mapping (nothing is copied except the small
 * norm vectors and biases).
 *
 * @param output    the LM head; models without {@code output.weight} tie it to {@code token_embd}
 * @param ropeFreqs per-pair RoPE frequency divisors ({@code rope_freqs.weight}, Llama 3.1+), or null
 */
public record ModelWeights(WeightMatrix tokenEmbd, List<LayerWeights> layers, float[] outputNorm, WeightMatrix output,
                           float[] ropeFreqs) {

    static final String TOKEN_EMBD = "token_embd.weight";
    static final String OUTPUT_NORM = "output_norm.weight";
    static final String OUTPUT = "output.weight";
    static final String ROPE_FREQS = "rope_freqs.weight";

    public ModelWeights {
        layers = List.copyOf(layers);
    }

    /** The shared tensors plus each block as the architecture's family names them. */
    static ModelWeights load(TensorSource tensors, ModelConfig c) {
        WeightMatrix tokenEmbd = tensors.matrix(TOKEN_EMBD, c.vocabSize(), c.embeddingLength());
        Family family = c.architecture().family();
        List<LayerWeights> layers = IntStream.range(0, c.blockCount())
                .mapToObj(layer -> family.layer(new LayerTensors(tensors, c, layer)))
                .toList();
        WeightMatrix output = tensors.has(OUTPUT)
                ? tensors.matrix(OUTPUT, c.vocabSize(), c.embeddingLength())
                : tokenEmbd;
        return new ModelWeights(tokenEmbd, layers, tensors.vector(OUTPUT_NORM, c.embeddingLength()), output,
                tensors.optionalVector(ROPE_FREQS, c.ropeDimensions() / 2));
    }
}
