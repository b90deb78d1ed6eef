package dev.kvasir.synth;

import dev.kvasir.KvasirException;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A tiny model of one architecture family for {@code kvasir dev synth --arch}: small enough that a
 * test regenerates it in well under a second, shaped to exercise what the family adds (GQA, a head
 * size other than n_embd / n_head where the family allows it, NoPE layers, multipliers, fused
 * tensors, LongRoPE, YaRN). Every matrix row is a multiple of 32, so F16 and Q8_0 variants exist.
 *
 * @param arch       {@code general.architecture}
 * @param donor      the file name in shared/tokenizers whose vocabulary the model takes
 * @param pre        the {@code tokenizer.ggml.pre} to write over the donor's (null: keep the donor's)
 * @param floatKeys  extra {@code {arch}.*} float keys (multipliers, rope scaling)
 * @param intKeys    extra {@code {arch}.*} uint32 keys
 * @param stringKeys extra {@code {arch}.*} string keys (rope.scaling.type)
 */
public record ArchShape(String arch, int embeddingLength, int blockCount, int headCount, int headCountKv, int headDim,
                        int ropeDimensions, int feedForwardLength, int contextLength, float ropeFreqBase, String donor,
                        String pre, Map<String, Float> floatKeys, Map<String, Integer> intKeys,
                        Map<String, String> stringKeys) {

    /** The families {@code --arch} knows, each with one fixed small shape. */
    public enum Preset {
        /** Qwen3: head size 32 with n_embd 64 / 4 heads, GQA 2:1, Q/K norms, YaRN x4 over an original context of 64. */
        QWEN3(new ArchShape("qwen3", 64, 2, 4, 2, 32, 32, 128, 256, 1_000_000f, "ggml-vocab-gpt-2.gguf", "qwen2",
                Map.of("rope.scaling.factor", 4f), Map.of("rope.scaling.original_context_length", 64),
                Map.of("rope.scaling.type", "yarn"))),
        /** SmolLM3: 4 layers so the 4th is NoPE, GQA 4:1. */
        SMOLLM3(new ArchShape("smollm3", 64, 4, 4, 1, 16, 16, 128, 256, 2_000_000f, "ggml-vocab-gpt-2.gguf", "llama-bpe",
                Map.of(), Map.of(), Map.of())),
        /** Granite 3.x: all four multipliers (attention.scale = 1/headDim as Granite 3 ships it), GQA 2:1. */
        GRANITE(new ArchShape("granite", 64, 2, 4, 2, 16, 16, 128, 256, 10_000f, "ggml-vocab-gpt-2.gguf", "refact",
                Map.of("embedding_scale", 12f, "residual_scale", 0.22f, "attention.scale", 0.0625f, "logit_scale", 8f),
                Map.of(), Map.of())),
        /**
         * Phi-3/Phi-4-mini: fused QKV and gate/up, partial NEOX RoPE (12 of 16, like Phi-4-mini's 0.75),
         * LongRoPE long factors (context 512 over an original 128) and their attn_factor, GQA 2:1.
         */
        PHI3(new ArchShape("phi3", 64, 2, 4, 2, 16, 12, 128, 512, 10_000f, "ggml-vocab-phi-3.gguf", null,
                Map.of("rope.scaling.attn_factor", (float) Math.sqrt(1 + Math.log(4) / Math.log(128))),
                Map.of("rope.scaling.original_context_length", 128), Map.of())),
        /**
         * Gemma 2: local (window 16) and global layers alternating, head size 32 != 64 / 4, GQA 2:1, attention and
         * final logits soft-capped low enough (10, 15) that tanh bends them. SPM vocabulary without a space prefix.
         */
        GEMMA2(new ArchShape("gemma2", 64, 4, 4, 2, 32, 32, 128, 256, 10_000f, "ggml-vocab-llama-spm.gguf", null,
                Map.of("attn_logit_softcapping", 10f, "final_logit_softcapping", 15f),
                Map.of("attention.sliding_window", 16), Map.of())),
        /**
         * Gemma 3: Q/K norms, five of six layers local (window 16, RoPE base 10000) and the sixth global (base 1e6),
         * 7 layers so a local layer follows the global one, head size 32, GQA 2:1.
         */
        GEMMA3(new ArchShape("gemma3", 64, 7, 4, 2, 32, 32, 128, 256, 1_000_000f, "ggml-vocab-llama-spm.gguf", null,
                Map.of("rope.freq_base_swa", 10_000f), Map.of("attention.sliding_window", 16), Map.of()));

        private final ArchShape shape;

        Preset(ArchShape shape) {
            this.shape = shape;
        }

        public ArchShape shape() {
            return shape;
        }

        public static ArchShape byArch(String arch) {
            return Arrays.stream(values()).map(Preset::shape).filter(s -> s.arch().equals(arch)).findFirst()
                    .orElseThrow(() -> new KvasirException("unknown --arch '" + arch + "'; use one of " + names()));
        }

        public static String names() {
            return Arrays.stream(values()).map(p -> p.shape.arch()).collect(Collectors.joining(", "));
        }
    }

    public int queryDim() {
        return headCount * headDim;
    }

    public int kvDim() {
        return headCountKv * headDim;
    }
}
