package dev.kvasir.model;

import dev.kvasir.cache.KvLayout;
import dev.kvasir.cache.LayerKind;
import java.util.List;

/**
 * The model-wide and per-layer choices of a family (see {@link Family#spec}).
 *
 * @param embeddingScale    factor of the token embeddings (granite's {@code embedding_scale}, gemma's √n_embd; 1 = none)
 * @param logitScale        factor of the final logits (granite: 1 / {@code logit_scale}; 1 = none)
 * @param finalLogitSoftCap 0 for none; else logits become {@code cap·tanh(l/cap)} (gemma2's final soft-capping)
 * @param layers            one spec per block
 */
public record DecoderSpec(float embeddingScale, float logitScale, float finalLogitSoftCap, List<LayerSpec> layers) {

    public DecoderSpec {
        layers = List.copyOf(layers);
        if (!(embeddingScale > 0) || !(logitScale > 0) || !(finalLogitSoftCap >= 0)) {
            throw new IllegalArgumentException("invalid decoder spec: embedding scale " + embeddingScale + ", logit scale "
                    + logitScale + ", final soft cap " + finalLogitSoftCap);
        }
    }

    /** No scalars: what llama, qwen2 and most families use. */
    static DecoderSpec plain(List<LayerSpec> layers) {
        return new DecoderSpec(1f, 1f, 0f, layers);
    }

    LayerSpec layer(int i) {
        return layers.get(i);
    }

    /** What a cache must hold for this model: the config's shape with each layer's kind (full or sliding window). */
    KvLayout kvLayout(ModelConfig c) {
        List<LayerKind> kinds = layers.stream()
                .map(l -> l.slidingWindow() == 0 ? (LayerKind) LayerKind.FULL : new LayerKind.Sliding(l.slidingWindow()))
                .toList();
        return new KvLayout(c.blockCount(), c.headCountKv(), c.headDim(), kinds);
    }
}
