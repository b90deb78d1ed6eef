package dev.kvasir.cache;

import dev.kvasir.KvasirException;
import dev.kvasir.io.ByteSource;
import dev.kvasir.safetensors.SafetensorsDType;
import dev.kvasir.safetensors.SafetensorsFile;
import dev.kvasir.safetensors.SafetensorsTensor;
import dev.kvasir.safetensors.SafetensorsWriter;
import dev.kvasir.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Converts full caches to and from mlx-lm's prompt-cache files ({@code save_prompt_cache} /
 * {@code load_prompt_cache}): a safetensors file whose tensors are {@code tree_flatten} of each
 * layer's {@code KVCache.state}, i.e. {@code "<layer>.0"} keys and {@code "<layer>.1"} values shaped
 * {@code [1, kv_heads, tokens, head_dim]}, and whose metadata is {@code tree_flatten} of
 * {@code [meta_states, user_metadata, class_names]}: {@code "0.<layer>" = ""},
 * {@code "1.<key>" = value}, {@code "2.<layer>" = "KVCache"}.
 *
 * <p>What does not carry over, see docs/cache-format.md: mlx-lm stores no token ids and no model
 * identity, so Kvasir adds them as user metadata {@code kvasir_tokens} and {@code kvasir_fingerprint}
 * (an mlx-lm file without them needs the ids passed in); only full caches convert (mlx's rotating and
 * quantized caches store other state); and for llama-architecture GGUF models, whose Q/K weights
 * llama.cpp's converter permuted so RoPE rotates adjacent pairs, each key head is un-permuted to the
 * Hugging Face order mlx uses. Keys are stored after RoPE in both, so no re-rotation is needed.
 */
public final class MlxPromptCaches {
    static final String TOKENS = "kvasir_tokens";
    static final String FINGERPRINT = "kvasir_fingerprint";
    private static final String KV_CACHE = "KVCache";

    private MlxPromptCaches() {
    }

    /** Writes a full cache as an mlx-lm prompt-cache safetensors file (atomically). */
    public static void export(PromptCache cache, Path path) {
        if (cache.options().kind() != CacheOptions.Kind.FULL) {
            throw new KvasirException(path + ": only full caches can be exported to mlx-lm, this one is "
                    + cache.options().kind().name().toLowerCase(java.util.Locale.ROOT) + "; create the cache with CacheOptions.full()");
        }
        if (cache.size() == 0) {
            throw new KvasirException(path + ": cannot export an empty cache (safetensors cannot hold empty tensors)");
        }
        KvLayout layout = cache.model().layout();
        SafetensorsWriter writer = new SafetensorsWriter();
        for (int l = 0; l < layout.layers(); l++) {
            writer.putMetadata("0." + l, "");
        }
        cache.metadata().forEach((k, v) -> writer.putMetadata("1." + k, v));
        writer.putMetadata("1." + TOKENS, Arrays.stream(cache.tokens()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        writer.putMetadata("1." + FINGERPRINT, cache.model().fingerprint());
        for (int l = 0; l < layout.layers(); l++) {
            writer.putMetadata("2." + l, KV_CACHE);
        }
        SafetensorsDType dtype = cache.options().type() == GgmlType.F16 ? SafetensorsDType.F16 : SafetensorsDType.F32;
        long[] shape = {1, layout.kvHeads(), cache.size(), layout.headDim()};
        int[] keyOrder = keyOrder(cache.model());
        for (int l = 0; l < layout.layers(); l++) {
            Rows<?> k = (Rows<?>) StoredView.keys(cache.cache(), l);
            Rows<?> v = (Rows<?>) StoredView.values(cache.cache(), l);
            writer.addTensor(l + ".0", dtype, shape, out -> headMajor(k, layout, cache.size(), keyOrder, out));
            writer.addTensor(l + ".1", dtype, shape, out -> headMajor(v, layout, cache.size(), identity(layout.headDim()), out));
        }
        writer.write(path);
    }

    /** Reads an mlx-lm prompt cache that carries Kvasir's token ids ({@link #export} writes them). */
    public static PromptCache importFrom(Path path, ModelIdentity model) {
        return importFrom(path, model, null);
    }

    /**
     * Reads an mlx-lm prompt cache of {@code KVCache} layers for {@code model}; {@code tokens} are the
     * ids it represents, or null to take them from its {@code kvasir_tokens} metadata.
     */
    public static PromptCache importFrom(Path path, ModelIdentity model, int[] tokens) {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            Map<String, String> meta = file.metadata();
            KvLayout layout = model.layout();
            checkLayers(path, meta, layout);
            String fingerprint = meta.get("1." + FINGERPRINT);
            if (fingerprint != null && !fingerprint.equals(model.fingerprint())) {
                throw new KvasirException(path + ": cache was made for model " + fingerprint + " but the loaded model is "
                        + model.fingerprint() + "; load the matching model or recompute the cache");
            }
            int[] ids = tokens != null ? tokens.clone() : tokens(path, meta);
            SafetensorsDType dtype = file.tensor("0.0").map(SafetensorsTensor::dtype).orElse(SafetensorsDType.F16);
            PromptCache cache = PromptCache.create(model, CacheOptions.full(dtype == SafetensorsDType.F16 ? GgmlType.F16 : GgmlType.F32));
            int[] keyOrder = keyOrder(model);
            for (int l = 0; l < layout.layers(); l++) {
                readHeadMajor(file, tensor(file, path, l + ".0", layout, ids.length, dtype),
                        (Rows<?>) StoredView.keys(cache.cache(), l), layout, keyOrder);
                readHeadMajor(file, tensor(file, path, l + ".1", layout, ids.length, dtype),
                        (Rows<?>) StoredView.values(cache.cache(), l), layout, identity(layout.headDim()));
            }
            StoredView.restored(cache.cache(), ids.length);
            cache.accepted(ids);
            meta.forEach((k, v) -> {
                if (k.startsWith("1.") && !k.equals("1." + TOKENS) && !k.equals("1." + FINGERPRINT)) {
                    cache.putMetadata(k.substring(2), v);
                }
            });
            return cache;
        }
    }

    private static void checkLayers(Path path, Map<String, String> meta, KvLayout layout) {
        long layers = meta.keySet().stream().filter(k -> k.startsWith("2.")).count();
        if (layers != layout.layers()) {
            throw new KvasirException(path + ": mlx-lm cache has " + layers + " layers but the model has " + layout.layers()
                    + "; use a cache made for this model");
        }
        for (int l = 0; l < layers; l++) {
            String kind = meta.get("2." + l);
            if (!KV_CACHE.equals(kind)) {
                throw new KvasirException(path + ": layer " + l + " is an mlx-lm " + kind
                        + "; only KVCache (full) layers can be imported");
            }
        }
    }

    private static int[] tokens(Path path, Map<String, String> meta) {
        String ids = meta.get("1." + TOKENS);
        if (ids == null) {
            throw new KvasirException(path + ": mlx-lm caches do not store token ids and this one has no '" + TOKENS
                    + "' metadata; pass the prompt's token ids to importFrom");
        }
        try {
            return ids.isEmpty() ? new int[0] : Arrays.stream(ids.split(",")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new KvasirException(path + ": metadata '" + TOKENS + "' is not a comma-separated list of token ids");
        }
    }

    private static SafetensorsTensor tensor(SafetensorsFile file, Path path, String name, KvLayout layout, int tokens,
                                            SafetensorsDType dtype) {
        SafetensorsTensor t = file.tensor(name).orElseThrow(() -> new KvasirException(path + ": mlx-lm cache lacks tensor '"
                + name + "'; the file is incomplete"));
        long[] expected = {1, layout.kvHeads(), tokens, layout.headDim()};
        if (!Arrays.equals(t.shape(), expected)) {
            throw new KvasirException(path + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + " but this model and " + tokens + " tokens need " + Arrays.toString(expected));
        }
        if (t.dtype() != dtype || (dtype != SafetensorsDType.F16 && dtype != SafetensorsDType.F32 && dtype != SafetensorsDType.BF16)) {
            throw new KvasirException(path + ": tensor '" + name + "' is " + t.dtype() + "; only caches whose tensors are all F16,"
                    + " all BF16 or all F32 import");
        }
        return t;
    }

    /**
     * mlx index → Kvasir index within a key head. llama.cpp's converter stored llama's Q/K rows as
     * (pair j, half i) where Hugging Face has (half i, pair j); NEOX-style models are stored unpermuted.
     */
    static int[] keyOrder(ModelIdentity model) {
        int hd = model.layout().headDim();
        if (!model.ropeType().equals("norm") || hd % 2 != 0) {
            return identity(hd);
        }
        int[] order = new int[hd];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < hd / 2; j++) {
                order[i * hd / 2 + j] = 2 * j + i;
            }
        }
        return order;
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        return order;
    }

    /** Streams rows [tokens][kvHeads][headDim] as [kvHeads][tokens][headDim], elements reordered by {@code order}. */
    private static <C> void headMajor(Rows<C> rows, KvLayout layout, int tokens, int[] order,
                                      java.nio.channels.WritableByteChannel out) throws java.io.IOException {
        ValueLayout element = rows.planeLayout(0);
        long size = element.byteSize();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        MemorySegment bufferSegment = MemorySegment.ofBuffer(buffer);
        int hd = layout.headDim();
        for (int h = 0; h < layout.kvHeads(); h++) {
            for (int t = 0; t < tokens; t++) {
                if (buffer.remaining() < hd * size) {
                    buffer.flip();
                    ByteSource.writeFully(out, buffer);
                    buffer.clear();
                }
                MemorySegment chunk = segmentOf(rows.planeArray(rows.chunkFor(t), 0));
                long base = ((long) (t % Rows.CHUNK) * rows.width + (long) h * hd) * size;
                for (int d = 0; d < hd; d++) {
                    MemorySegment.copy(chunk, element, base + order[d] * size, bufferSegment, element, buffer.position() + d * size, 1);
                }
                buffer.position(buffer.position() + (int) (hd * size));
            }
        }
        buffer.flip();
        ByteSource.writeFully(out, buffer);
    }

    private static <C> void readHeadMajor(SafetensorsFile file, SafetensorsTensor tensor, Rows<C> rows, KvLayout layout, int[] order) {
        MemorySegment data = file.tensorData(tensor);
        int hd = layout.headDim();
        int tokens = (int) tensor.shape()[2];
        boolean bf16 = tensor.dtype() == SafetensorsDType.BF16;
        ValueLayout element = rows.planeLayout(0);
        long fileSize = tensor.dtype().byteSize();
        for (int h = 0; h < layout.kvHeads(); h++) {
            for (int t = 0; t < tokens; t++) {
                Object plane = rows.planeArray(rows.writableChunkFor(t), 0);
                int base = (t % Rows.CHUNK) * rows.width + h * hd;
                long src = ((long) h * tokens + t) * hd * fileSize;
                for (int d = 0; d < hd; d++) {
                    long at = src + d * fileSize;
                    if (bf16) {
                        ((float[]) plane)[base + order[d]] = Float.intBitsToFloat(data.get((ValueLayout.OfShort) Planes.F16, at) << 16);
                    } else {
                        MemorySegment.copy(data, element, at, plane, base + order[d], 1);
                    }
                }
            }
        }
    }

    private static MemorySegment segmentOf(Object array) {
        return switch (array) {
            case float[] f -> MemorySegment.ofArray(f);
            case short[] s -> MemorySegment.ofArray(s);
            default -> throw new IllegalArgumentException("not a full-precision plane");
        };
    }
}
