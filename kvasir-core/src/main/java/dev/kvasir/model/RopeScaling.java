package dev.kvasir.model;

import dev.kvasir.KvasirException;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.gguf.GgufMetadata;

/**
 * A file's {@code rope.scaling.*} keys as llama.cpp reads them for every architecture
 * (llama_model_base::load_hparams, llama_context's YaRN set-up).
 *
 * @param type          none, linear, yarn or longrope
 * @param factor        {@code rope.scaling.factor} (or the older {@code rope.scale_linear}); 0 when absent
 * @param origContext   {@code rope.scaling.original_context_length}, else the training context
 * @param attnFactorKey {@code rope.scaling.attn_factor} (LongRoPE's magnitude correction), 1 when absent
 */
public record RopeScaling(String type, float factor, int origContext, float attnFactorKey) {

    static final RopeScaling NONE = new RopeScaling("none", 0f, 0, 1f);

    static RopeScaling fromGguf(GgufFile file, String p, int contextLength) {
        GgufMetadata meta = file.metadata();
        String type = meta.getString(p + "rope.scaling.type", "linear");
        if (!type.equals("none") && !type.equals("linear") && !type.equals("yarn") && !type.equals("longrope")) {
            throw new KvasirException(file.path() + ": RoPE scaling type '" + type
                    + "' is not supported (none, linear, yarn or longrope); use a model without " + p
                    + "rope.scaling.type " + type);
        }
        float factor = meta.getFloat(p + "rope.scaling.factor", meta.getFloat(p + "rope.scale_linear", 0f));
        int orig = meta.getInt(p + "rope.scaling.original_context_length", contextLength);
        return new RopeScaling(type, factor, orig, meta.getFloat(p + "rope.scaling.attn_factor", 1f));
    }

    /** llama.cpp's rope_freq_scale: 1/factor, and never scaled for type none. */
    float freqScale() {
        return type.equals("none") || factor == 0 ? 1f : 1f / factor;
    }

    /** YaRN mixes interpolated and extrapolated angles; the other types do not (cparams.yarn_ext_factor). */
    float extFactor() {
        return type.equals("yarn") ? 1f : 0f;
    }

    /**
     * cparams.yarn_attn_factor: for YaRN, get_mscale(factor) cancelled by the {@code 1 + 0.1 ln(1/scale)}
     * ggml's rope multiplies back in; always times {@code rope.scaling.attn_factor}. Float arithmetic
     * in llama.cpp's order, so the cos/sin tables round the same way.
     */
    float attnFactor(float freqScale) {
        float attn = 1f;
        if (extFactor() != 0) {
            float f = 1f / freqScale;
            float mscale = f <= 1f ? 1f : (0.1f * 1f * (float) Math.log(f) + 1f);
            attn = mscale;
            attn *= 1f / (1f + 0.1f * (float) Math.log(f));
        }
        return attn * attnFactorKey;
    }
}
