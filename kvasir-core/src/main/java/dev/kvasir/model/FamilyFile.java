package dev.kvasir.model;

import dev.kvasir.KvasirException;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.gguf.GgufMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What a {@link Family} reads to build its {@link DecoderSpec}: the configuration, the loaded weights,
 * the family's {@code {arch}.*} keys and the file's remaining tensors. Missing required keys fail in
 * one line naming the key and the file.
 */
final class FamilyFile {
    private final GgufFile file;
    private final ModelConfig config;
    private final ModelWeights weights;
    private final TensorSource tensors;
    private final String prefix;

    FamilyFile(GgufFile file, ModelConfig config, ModelWeights weights, TensorSource tensors) {
        this.file = file;
        this.config = config;
        this.weights = weights;
        this.tensors = tensors;
        this.prefix = config.architecture().ggufName() + ".";
    }

    ModelConfig config() {
        return config;
    }

    ModelWeights weights() {
        return weights;
    }

    TensorSource tensors() {
        return tensors;
    }

    /** {@code {arch}.key}, or {@code def} when absent. */
    float floatKey(String key, float def) {
        return meta().getFloat(prefix + key, def);
    }

    /** {@code {arch}.key}, which the family requires. */
    float requiredFloat(String key) {
        if (!meta().has(prefix + key)) {
            throw new KvasirException(fileName() + ": missing metadata key '" + prefix + key + "', which "
                    + config.architecture().ggufName() + " models need; re-convert the model");
        }
        return meta().getFloat(prefix + key);
    }

    int intKey(String key, int def) {
        return meta().getInt(prefix + key, def);
    }

    /**
     * Which layers use the sliding window, as llama.cpp's load_swa_pattern reads
     * {@code attention.sliding_window_pattern}: an array of bools per layer, or a period {@code n}
     * (default {@code defaultPeriod}) making layer {@code il} local iff {@code il % n < n - 1}
     * (n = 0: every layer local).
     */
    boolean[] slidingPattern(int defaultPeriod) {
        String key = prefix + "attention.sliding_window_pattern";
        boolean[] local = new boolean[config.blockCount()];
        if (meta().has(key) && meta().raw(key) instanceof dev.kvasir.gguf.GgufArray a) {
            if (!(a.values() instanceof boolean[] flags) || flags.length < local.length) {
                throw new KvasirException(fileName() + ": metadata key '" + key + "' must be an array of "
                        + local.length + " bools or one integer; re-convert the model");
            }
            System.arraycopy(flags, 0, local, 0, local.length);
            return local;
        }
        int n = meta().getInt(key, defaultPeriod);
        for (int il = 0; il < local.length; il++) {
            local[il] = n == 0 || il % n < n - 1;
        }
        return local;
    }

    boolean boolKey(String key, boolean def) {
        return meta().getBool(prefix + key, def);
    }

    /** The file's RoPE (its {@code rope.*} keys) with the family's pairing and these divisors. */
    RopeSpec rope(float[] freqFactors) {
        return RopeSpec.of(config, config.architecture().ropeMode(), freqFactors);
    }

    /** One spec per block from {@code perLayer}. */
    List<LayerSpec> layers(IntFunction<LayerSpec> perLayer) {
        List<LayerSpec> specs = new ArrayList<>(config.blockCount());
        for (int l = 0; l < config.blockCount(); l++) {
            specs.add(perLayer.apply(l));
        }
        return specs;
    }

    String fileName() {
        return String.valueOf(file.path());
    }

    private GgufMetadata meta() {
        return file.metadata();
    }
}
