package dev.kvasir.cache;

import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of a model's attention state: what a cache must hold per token, and per layer how far
 * back that layer attends ({@link LayerKind}: full, or a sliding window as in Gemma 2/3's local layers).
 */
public record KvLayout(int layers, int kvHeads, int headDim, List<LayerKind> kinds) {
    public KvLayout {
        if (layers <= 0 || kvHeads <= 0 || headDim <= 0) {
            throw new IllegalArgumentException("invalid KV layout " + layers + "x" + kvHeads + "x" + headDim);
        }
        kinds = List.copyOf(kinds);
        if (kinds.size() != layers) {
            throw new IllegalArgumentException("KV layout of " + layers + " layers has " + kinds.size() + " layer kinds");
        }
    }

    /** Every layer attends to all earlier positions (llama, qwen2, ...). */
    public KvLayout(int layers, int kvHeads, int headDim) {
        this(layers, kvHeads, headDim, Collections.nCopies(Math.max(layers, 0), LayerKind.FULL));
    }

    /** Floats of K (or of V) per token and layer. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    public LayerKind kind(int layer) {
        return kinds.get(layer);
    }

    /** Positions a query of {@code layer} sees: the last {@code window} including its own. */
    public int window(int layer) {
        return kinds.get(layer).window();
    }

    /** Whether some layer attends only to a sliding window. */
    public boolean hasSlidingLayers() {
        return kinds.stream().anyMatch(k -> k instanceof LayerKind.Sliding);
    }

    /** The largest sliding window of any layer, 0 when every layer is full. */
    public int largestWindow() {
        return kinds.stream().filter(k -> k instanceof LayerKind.Sliding).mapToInt(LayerKind::window).max().orElse(0);
    }

    /** The per-layer kinds as one comma-separated string of {@link LayerKind#label()}s. */
    public String kindLabels() {
        return kinds.stream().map(LayerKind::label).collect(Collectors.joining(","));
    }

    /** Parses {@link #kindLabels()}. */
    static List<LayerKind> parseKinds(String labels) {
        return java.util.Arrays.stream(labels.split(",", -1)).map(LayerKind::parse).toList();
    }
}
