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

    enum SlidingKv { all, window }

    @Option(names = "--sliding-kv", paramLabel = "WHAT", defaultValue = "all",
            description = "On models with sliding-window layers (Gemma 2/3), what those layers of a new cache keep:"
                    + " all (every position: trim, fork and prefix reuse work) or window (only the last W positions:"
                    + " smaller, continuation only). Default: ${DEFAULT-VALUE}.")
    SlidingKv sliding;

    CacheOptions options(KvLayout layout) {
        if (sliding == SlidingKv.window) {
            return switch (type) {
                case f16 -> CacheOptions.windowed(GgmlType.F16);
                case f32 -> CacheOptions.windowed(GgmlType.F32);
                case q8, q4 -> throw new dev.kvasir.KvasirException("--sliding-kv window works with --kv-type f16 or f32,"
                        + " not " + type + "; drop one of the two options");
            };
        }
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
