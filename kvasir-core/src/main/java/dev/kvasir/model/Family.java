package dev.kvasir.model;

/**
 * One architecture family: the file that says how its GGUF maps onto the shared decoder blocks, as
 * llama.cpp's {@code src/models/<arch>.cpp} and mlx-lm's {@code models/<arch>.py} do. A family
 * reads its own metadata keys, names its tensors (per block, through {@link LayerTensors}) and
 * decides per layer what the block does ({@link LayerSpec}); {@link Transformer} runs every family
 * with the same batch-invariant kernels. Adding a family is one file plus its line in {@link Architecture}.
 */
interface Family {

    /** How RoPE pairs head values (what cache identities record; NoPE layers simply skip it). */
    RopeMode ropeMode();

    /** The weights of block {@code t.layer()}; the default is llama's block (optional Q/K/V/output biases). */
    default LayerWeights layer(LayerTensors t) {
        return t.standard();
    }

    /** The model-wide and per-layer choices, from the family's metadata keys (and rope factor tensors). */
    DecoderSpec spec(FamilyFile f);
}
