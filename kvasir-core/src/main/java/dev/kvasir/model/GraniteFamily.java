package dev.kvasir.model;

/**
 * {@code granite} (llama.cpp src/models/granite.cpp, dense variant): llama's block with four scalars:
 * embeddings times {@code embedding_scale}, q·k times {@code attention.scale} (instead of
 * 1/sqrt(headDim)), each attention and FFN output times {@code residual_scale} before its residual
 * add, and logits divided by {@code logit_scale} (required). Optional scalars are off when absent or 0,
 * as in llama.cpp. {@code rope.scaling.finetuned} false turns RoPE off in every layer.
 */
final class GraniteFamily implements Family {
    @Override
    public RopeMode ropeMode() {
        return RopeMode.NORMAL;
    }

    @Override
    public DecoderSpec spec(FamilyFile f) {
        float logitScale = f.requiredFloat("logit_scale");
        float residual = orOne(f.floatKey("residual_scale", 0f));
        float embedding = orOne(f.floatKey("embedding_scale", 0f));
        float attention = f.floatKey("attention.scale", 0f);
        RopeSpec rope = f.boolKey("rope.scaling.finetuned", true) ? f.rope(f.weights().ropeFreqs()) : null;
        return new DecoderSpec(embedding, 1f / logitScale, 0f, f.layers(l -> {
            LayerSpec spec = LayerSpec.standard(f.config(), rope).withResidualScale(residual);
            return attention == 0f ? spec : spec.withAttentionScale(attention);
        }));
    }

    private static float orOne(float scale) {
        return scale == 0f ? 1f : scale;
    }
}
