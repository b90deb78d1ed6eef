package dev.kvasir.safetensors;

import dev.kvasir.json.Json;
import dev.kvasir.json.JsonException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed and validated safetensors header: an 8-byte little-endian length N, N bytes of UTF-8 JSON (an object,
 * possibly padded with trailing spaces), then the data, which the tensors' {@code data_offsets} must cover exactly:
 * contiguous from 0, without holes or overlaps, to the end of the file.
 */
record SafetensorsHeader(List<SafetensorsTensor> tensors, Map<String, String> metadata, long dataStart) {
    static final String METADATA_KEY = "__metadata__";
    /** The reference implementation's limit; a larger "header" means a corrupt or foreign file. */
    static final long MAX_HEADER_BYTES = 100_000_000;
    private static final Set<String> TENSOR_FIELDS = Set.of("dtype", "shape", "data_offsets");

    static SafetensorsHeader parse(MemorySegment file, String name) {
        long size = file.byteSize();
        if (size < 8) {
            throw error(name, "not a safetensors file (only " + size + " bytes long)");
        }
        long n = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
            throw error(name, "not a safetensors file or truncated: header length " + Long.toUnsignedString(n)
                    + " does not fit in the file (" + size + " bytes, header limit " + MAX_HEADER_BYTES + ")");
        }
        Map<String, Object> json = headerJson(file.asSlice(8, n), name);
        Map<String, String> metadata = metadata(json.remove(METADATA_KEY), name);
        List<SafetensorsTensor> tensors = new ArrayList<>();
        json.forEach((tensor, info) -> tensors.add(tensor(tensor, info, name)));
        checkLayout(tensors, size - 8 - n, name);
        return new SafetensorsHeader(List.copyOf(tensors), metadata, 8 + n);
    }

    private static Map<String, Object> headerJson(MemorySegment bytes, String name) {
        if (bytes.get(ValueLayout.JAVA_BYTE, 0) != '{') {
            throw error(name, "not a safetensors file: the header does not start with '{'");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toArray(ValueLayout.JAVA_BYTE))).toString();
        } catch (CharacterCodingException e) {
            throw error(name, "the header is not valid UTF-8");
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) Json.parse(text);
            return json;
        } catch (JsonException e) {
            throw error(name, "the header is not valid JSON: " + e.getMessage());
        }
    }

    private static Map<String, String> metadata(Object json, String name) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (json == null) {
            return metadata;
        }
        if (!(json instanceof Map<?, ?> map)) {
            throw error(name, "\"" + METADATA_KEY + "\" must be an object of strings");
        }
        map.forEach((k, v) -> {
            if (!(v instanceof String s)) {
                throw error(name, "\"" + METADATA_KEY + "\" value of \"" + k + "\" must be a string, got " + Json.write(v));
            }
            metadata.put((String) k, s);
        });
        return metadata;
    }

    private static SafetensorsTensor tensor(String tensor, Object json, String name) {
        String what = "tensor \"" + tensor + "\"";
        if (!(json instanceof Map<?, ?> info) || !info.keySet().equals(TENSOR_FIELDS)) {
            throw error(name, what + " must be an object with exactly \"dtype\", \"shape\" and \"data_offsets\", got "
                    + Json.write(json));
        }
        Object dtypeName = info.get("dtype");
        SafetensorsDType dtype = dtypeName instanceof String s ? SafetensorsDType.byName(s) : null;
        if (dtype == null) {
            throw error(name, what + " has unsupported dtype " + Json.write(dtypeName) + " (supported: "
                    + List.of(SafetensorsDType.values()) + ")");
        }
        long[] shape = longs(info.get("shape"), -1, what + " shape", name);
        long[] offsets = longs(info.get("data_offsets"), 2, what + " data_offsets", name);
        SafetensorsTensor t = new SafetensorsTensor(tensor, dtype, shape, offsets[0], offsets[1]);
        long expected = byteSize(t, name);
        if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != expected) {
            throw error(name, what + " data_offsets " + Json.write(offsets) + " span " + (offsets[1] - offsets[0])
                    + " bytes, but " + dtype + " " + Json.write(shape) + " needs " + expected);
        }
        return t;
    }

    private static long byteSize(SafetensorsTensor t, String name) {
        try {
            long n = 1;
            for (long d : t.shape()) {
                n = Math.multiplyExact(n, d);
            }
            return Math.multiplyExact(n, (long) t.dtype().byteSize());
        } catch (ArithmeticException e) {
            throw error(name, "tensor \"" + t.name() + "\" has an impossible shape " + Json.write(t.shape()));
        }
    }

    /** A JSON array of non-negative integers, of {@code length} items unless it is negative. */
    private static long[] longs(Object json, int length, String what, String name) {
        if (json instanceof List<?> list && (length < 0 || list.size() == length)) {
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Long v) || v < 0) {
                    throw error(name, what + " must hold non-negative integers, got " + Json.write(json));
                }
                out[i] = v;
            }
            return out;
        }
        throw error(name, what + " must be an array" + (length < 0 ? "" : " of " + length + " integers")
                + ", got " + Json.write(json));
    }

    private static void checkLayout(List<SafetensorsTensor> tensors, long dataSize, String name) {
        List<SafetensorsTensor> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(SafetensorsTensor::begin).thenComparingLong(SafetensorsTensor::end));
        long expected = 0;
        String previous = "the start of the data";
        for (SafetensorsTensor t : byOffset) {
            if (t.begin() != expected) {
                throw error(name, "tensor \"" + t.name() + "\" data starts at " + t.begin() + " but " + previous
                        + " ends at " + expected + " (tensor data must be contiguous, without holes or overlaps)");
            }
            expected = t.end();
            previous = "tensor \"" + t.name() + "\"";
        }
        if (expected != dataSize) {
            throw error(name, "the tensors cover " + expected + " bytes of data but the file holds " + dataSize
                    + (expected > dataSize ? "; the file is truncated" : "; unexpected bytes at the end"));
        }
    }

    static SafetensorsException error(String name, String problem) {
        return new SafetensorsException(name + ": " + problem);
    }
}
