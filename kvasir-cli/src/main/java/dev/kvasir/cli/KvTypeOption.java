package dev.kvasir.cli;

import dev.kvasir.cache.CacheOptions;
import dev.kvasir.cache.KvLayout;
import dev.kvasir.tensor.GgmlType;
import picocli.CommandLine.Option;

/** {@code --kv-type}: how a new cache stores K/V (an existing file keeps what it was made with). */
final class KvTypeOption {
    enum KvType { f16, f32, q8, q4 }

    @Option(names = "--kv-type", paramLabel = "TYPE", defaultValue = "f16",
            description = "K/V storage of a new cache: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    KvType type;

    CacheOptions options(KvLayout layout) {
        return switch (type) {
            case f16 -> CacheOptions.full(GgmlType.F16);
            case f32 -> CacheOptions.full(GgmlType.F32);
            case q8 -> CacheOptions.quantized(8, groupSize(layout));
            case q4 -> CacheOptions.quantized(4, groupSize(layout));
        };
    }

    /** mlx-lm's group of 64, or the largest power of two dividing a smaller KV row. */
    private static int groupSize(KvLayout layout) {
        return Math.min(64, Integer.lowestOneBit(layout.kvDim()));
    }
}
