package dev.kvasir.cache;

import dev.kvasir.KvasirException;
import dev.kvasir.tensor.GgmlType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The self-describing part of a .kvc file: which model and cache it belongs to, as ordered
 * string entries (numbers in decimal, floats in Java's shortest exact form), plus user metadata
 * under {@code user.}. See docs/cache-format.md.
 */
public record KvcHeader(ModelIdentity model, CacheOptions options, Map<String, String> metadata) {
    static final String USER = "user.";

    Map<String, String> entries() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("model.fingerprint", model.fingerprint());
        e.put("model.architecture", model.architecture());
        e.put("model.layers", Integer.toString(model.layout().layers()));
        e.put("model.kv_heads", Integer.toString(model.layout().kvHeads()));
        e.put("model.head_dim", Integer.toString(model.layout().headDim()));
        e.put("model.rope.freq_base", Float.toString(model.ropeFreqBase()));
        e.put("model.rope.type", model.ropeType());
        if (model.layout().hasSlidingLayers()) {
            e.put("model.layer_kinds", model.layout().kindLabels());
        }
        e.put("cache.kind", options.kind().name().toLowerCase(java.util.Locale.ROOT));
        e.put("cache.type", options.type().name());
        e.put("cache.max_size", Integer.toString(options.maxSize()));
        e.put("cache.keep", Integer.toString(options.keep()));
        e.put("cache.bits", Integer.toString(options.bits()));
        e.put("cache.group_size", Integer.toString(options.groupSize()));
        e.put("cache.full_precision_tokens", Integer.toString(options.fullPrecisionTokens()));
        metadata.forEach((k, v) -> e.put(USER + k, v));
        return e;
    }

    /** Parses checksummed entries; a missing or malformed field still means a broken or foreign writer. */
    static KvcHeader fromEntries(Map<String, String> e, String file) {
        try {
            KvLayout layout = new KvLayout(integer(e, "model.layers", file), integer(e, "model.kv_heads", file),
                    integer(e, "model.head_dim", file));
            if (e.containsKey("model.layer_kinds")) { // version 2; absent: every layer full, as version 1 implies
                layout = new KvLayout(layout.layers(), layout.kvHeads(), layout.headDim(),
                        KvLayout.parseKinds(e.get("model.layer_kinds")));
            }
            ModelIdentity model = new ModelIdentity(field(e, "model.fingerprint", file), field(e, "model.architecture", file),
                    layout, Float.parseFloat(field(e, "model.rope.freq_base", file)), field(e, "model.rope.type", file));
            CacheOptions options = new CacheOptions(
                    CacheOptions.Kind.valueOf(field(e, "cache.kind", file).toUpperCase(java.util.Locale.ROOT)),
                    GgmlType.valueOf(field(e, "cache.type", file)), integer(e, "cache.max_size", file),
                    integer(e, "cache.keep", file), integer(e, "cache.bits", file), integer(e, "cache.group_size", file),
                    integer(e, "cache.full_precision_tokens", file));
            Map<String, String> metadata = new LinkedHashMap<>();
            e.forEach((k, v) -> {
                if (k.startsWith(USER)) {
                    metadata.put(k.substring(USER.length()), v);
                }
            });
            return new KvcHeader(model, options, metadata);
        } catch (IllegalArgumentException | KvasirException ex) {
            throw new KvasirException(file + ": invalid .kvc header (" + ex.getMessage() + "); the file was not written by a compatible Kvasir");
        }
    }

    private static String field(Map<String, String> e, String key, String file) {
        String v = e.get(key);
        if (v == null) {
            throw new KvasirException(file + ": .kvc header lacks field '" + key + "'; the file was not written by a compatible Kvasir");
        }
        return v;
    }

    private static int integer(Map<String, String> e, String key, String file) {
        return Integer.parseInt(field(e, key, file));
    }
}
