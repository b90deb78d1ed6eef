package dev.kvasir.gguf;

import dev.kvasir.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Parses and validates a GGUF v2/v3 header (see ggml's docs/gguf.md): magic "GGUF", uint32 version, uint64 tensor
 * and metadata counts, the key/value pairs, the tensor infos, then padding to {@code general.alignment}.
 * Every count and length is checked against the bytes left before anything is allocated, so a corrupt file
 * fails with a message instead of an OutOfMemoryError.
 */
final class GgufHeaderParser {
    static final long DEFAULT_ALIGNMENT = 32;
    /** ggml's GGML_MAX_DIMS. */
    static final int MAX_DIMS = 4;
    /** Arrays of arrays are legal but never this deep in real files; the limit keeps recursion bounded. */
    private static final int MAX_ARRAY_NESTING = 8;
    /** Smallest possible key/value pair: empty key (8), type (4), one-byte value. */
    private static final int MIN_KV_BYTES = 13;
    /** Smallest possible tensor info: empty name (8), n_dims (4), type (4), offset (8). */
    private static final int MIN_TENSOR_INFO_BYTES = 24;
    /** Keys as real files write them (the spec asks for lower_snake_case dotted ASCII; some add capitals or dashes). */
    private static final java.util.regex.Pattern KEY_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.\\-]+");

    private final MemorySegment file;
    private final String name;
    private final GgufCursor in;

    private GgufHeaderParser(MemorySegment file, String name) {
        this.file = file;
        this.name = name;
        this.in = new GgufCursor(file, name);
    }

    static GgufHeader parse(MemorySegment file, String name) {
        return new GgufHeaderParser(file, name).parse();
    }

    private GgufHeader parse() {
        checkMagic();
        int version = readVersion();
        int tensorCount = in.count("tensor count", MIN_TENSOR_INFO_BYTES);
        int kvCount = in.count("metadata count", MIN_KV_BYTES);
        GgufMetadata metadata = readMetadata(kvCount);
        long alignment = alignment(metadata);
        List<GgufTensorInfo> tensors = readTensorInfos(tensorCount, alignment, kvCount);
        long infoEnd = in.position();
        long dataStart = alignUp(infoEnd, alignment);
        checkDataBounds(tensors, dataStart);
        return new GgufHeader(version, alignment, metadata, List.copyOf(tensors), infoEnd, dataStart);
    }

    static long alignUp(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    private void checkMagic() {
        long size = file.byteSize();
        byte[] magic = file.asSlice(0, Math.min(4, size)).toArray(ValueLayout.JAVA_BYTE);
        String text = new String(magic, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (text.equals("GGUF")) {
            in.i32("magic");
            return;
        }
        if (size < 4) {
            throw in.error("not a GGUF file (only " + size + " bytes long)");
        }
        if (text.equals("lmgg") || text.equals("fmgg") || text.equals("tjgg")) {
            throw in.error("legacy GGML/GGJT model file, not GGUF; convert it with llama.cpp's convert_llama_ggml_to_gguf.py");
        }
        throw in.error("not a GGUF file (starts with bytes " + hex(magic) + ", expected \"GGUF\")");
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    private int readVersion() {
        int version = in.i32("GGUF version");
        if (version == 2 || version == 3) {
            return version;
        }
        if (version == 1) {
            throw in.error("GGUF version 1 is not supported (only versions 2 and 3); re-convert the model with a current llama.cpp");
        }
        int swapped = Integer.reverseBytes(version);
        if (swapped >= 1 && swapped <= 3) {
            throw in.error("big-endian GGUF file (version " + swapped + "); only little-endian GGUF is supported, "
                    + "re-convert the model without --bigendian");
        }
        throw in.error("unsupported GGUF version " + Integer.toUnsignedString(version) + " (only versions 2 and 3)");
    }

    private GgufMetadata readMetadata(int count) {
        LinkedHashMap<String, GgufMetadata.Value> values = new LinkedHashMap<>();
        String suspect = null; // a "key" that is no key name: the value before it had a wrong length
        String previous = null;
        try {
            for (int i = 0; i < count; i++) {
                String key = in.string("metadata key #" + i);
                if (suspect == null && previous != null && !KEY_NAME.matcher(key).matches()) {
                    suspect = "metadata key #" + i + " '" + shorten(key) + "' is not a key name, so the length of '"
                            + previous + "' before it is probably wrong";
                }
                previous = key;
                readEntry(key, values);
            }
        } catch (GgufException e) {
            throw suspect == null ? e : new GgufException(e.getMessage() + "; " + suspect + ", re-convert the model");
        }
        return new GgufMetadata(name, values);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private void readEntry(String key, LinkedHashMap<String, GgufMetadata.Value> values) {
        int typeId = in.i32("type of metadata '" + key + "'");
        GgufValueType type = GgufValueType.byId(typeId);
        if (type == null) {
            throw in.error("corrupt header: metadata '" + key + "' has unknown value type id " + Integer.toUnsignedString(typeId));
        }
        Object value = readValue(type, key, "value of '" + key + "'", 0);
        if (values.putIfAbsent(key, new GgufMetadata.Value(type, value)) != null) {
            throw in.error("corrupt header: duplicate metadata key '" + key + "'");
        }
    }

    /** {@code what} names the value in error messages; built once per key or array, not per element. */
    private Object readValue(GgufValueType type, String key, String what, int depth) {
        return switch (type) {
            case UINT8 -> Byte.toUnsignedInt(in.i8(what));
            case INT8 -> (int) in.i8(what);
            case UINT16 -> Short.toUnsignedInt(in.i16(what));
            case INT16 -> (int) in.i16(what);
            case UINT32 -> Integer.toUnsignedLong(in.i32(what));
            case INT32 -> in.i32(what);
            case UINT64, INT64 -> in.i64(what);
            case FLOAT32 -> Float.intBitsToFloat(in.i32(what));
            case FLOAT64 -> Double.longBitsToDouble(in.i64(what));
            case BOOL -> readBool(what);
            case STRING -> in.string(what);
            case ARRAY -> readArray(key, what, depth + 1);
        };
    }

    private boolean readBool(String what) {
        byte b = in.i8(what);
        if (b != 0 && b != 1) {
            throw in.error("corrupt header: " + what + " is a BOOL with byte " + b + " (must be 0 or 1)");
        }
        return b == 1;
    }

    private GgufArray readArray(String key, String what, int depth) {
        if (depth > MAX_ARRAY_NESTING) {
            throw in.error("corrupt header: metadata '" + key + "' nests arrays more than " + MAX_ARRAY_NESTING + " deep");
        }
        int typeId = in.i32("element type of " + what);
        GgufValueType type = GgufValueType.byId(typeId);
        if (type == null) {
            throw in.error("corrupt header: array '" + key + "' has unknown element type id " + Integer.toUnsignedString(typeId));
        }
        int n = in.count("length of array '" + key + "'", type.minEncodedSize());
        return new GgufArray(type, readElements(type, n, key, "element of '" + key + "'", depth));
    }

    /** Typed loops for the big arrays (vocabularies of 150k strings, scores, token types) instead of reflection. */
    private Object readElements(GgufValueType type, int n, String key, String what, int depth) {
        switch (GgufArray.javaArrayClass(type).componentType().getName()) {
            case "int" -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (Integer) readValue(type, key, what, depth);
                }
                return a;
            }
            case "float" -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Float.intBitsToFloat(in.i32(what));
                }
                return a;
            }
            case "java.lang.String" -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.string(what);
                }
                return a;
            }
            default -> {
                Object a = java.lang.reflect.Array.newInstance(GgufArray.javaArrayClass(type).componentType(), n);
                for (int i = 0; i < n; i++) {
                    java.lang.reflect.Array.set(a, i, readValue(type, key, what, depth));
                }
                return a;
            }
        }
    }

    private long alignment(GgufMetadata metadata) {
        if (!metadata.has("general.alignment")) {
            return DEFAULT_ALIGNMENT;
        }
        long alignment = metadata.getLong("general.alignment");
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw in.error("corrupt header: general.alignment is " + alignment + ", must be a positive power of two");
        }
        return alignment;
    }

    private List<GgufTensorInfo> readTensorInfos(int count, long alignment, int kvCount) {
        List<GgufTensorInfo> tensors = new ArrayList<>(count);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            GgufTensorInfo t = readTensorInfo(i, alignment, kvCount);
            if (!names.add(t.name())) {
                throw in.error("corrupt header: duplicate tensor name '" + t.name() + "'");
            }
            tensors.add(t);
        }
        return tensors;
    }

    private GgufTensorInfo readTensorInfo(int index, long alignment, int kvCount) {
        String tensor = in.string("name of tensor #" + index);
        String what = "tensor '" + tensor + "'";
        int rank = in.i32("rank of " + what);
        if ((rank < 0 || rank > MAX_DIMS) && GgufValueType.byId(rank) != null && tensor.contains(".")) {
            // a key followed by its value type: the metadata did not end where its count said
            throw in.error("corrupt header: the metadata count is " + kvCount + " but more keys follow (tensor #" + index
                    + " reads as metadata key '" + tensor + "' of type " + GgufValueType.byId(rank)
                    + "); the metadata count or an array length in the header is wrong, re-convert the model");
        }
        if (rank < 0 || rank > MAX_DIMS) {
            throw in.error("corrupt header: " + what + " has " + Integer.toUnsignedString(rank)
                    + " dimensions (at most " + MAX_DIMS + ")");
        }
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = in.i64("shape of " + what);
        }
        int typeId = in.i32("type of " + what);
        GgmlType type = GgmlType.byId(typeId);
        if (type == null) {
            throw in.error(what + " has unknown ggml type id " + Integer.toUnsignedString(typeId)
                    + "; the model needs a newer Kvasir or the file is corrupt");
        }
        long offset = in.i64("data offset of " + what);
        checkShape(what, shape, type);
        if (offset < 0 || offset % alignment != 0) {
            throw in.error("corrupt header: " + what + " has data offset " + Long.toUnsignedString(offset)
                    + ", which is not a multiple of the alignment " + alignment);
        }
        return new GgufTensorInfo(tensor, shape, type, offset);
    }

    private void checkShape(String what, long[] shape, GgmlType type) {
        long elements = 1;
        try {
            for (long d : shape) {
                if (d < 0) {
                    throw new ArithmeticException();
                }
                elements = Math.multiplyExact(elements, d);
            }
            Math.multiplyExact(elements / type.blockSize(), (long) type.typeSize());
        } catch (ArithmeticException e) {
            throw in.error("corrupt header: " + what + " has an impossible shape " + unsignedShape(shape));
        }
        long rowLength = shape.length == 0 ? 1 : shape[0];
        if (rowLength % type.blockSize() != 0) {
            throw in.error(what + " has row length " + rowLength + ", not a multiple of the " + type
                    + " block size " + type.blockSize() + " (llama.cpp refuses it too); re-quantize the model with a current llama.cpp");
        }
    }

    private static String unsignedShape(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toUnsignedString).toList().toString();
    }

    private void checkDataBounds(List<GgufTensorInfo> tensors, long dataStart) {
        long fileSize = file.byteSize();
        long dataSize = Math.max(0, fileSize - dataStart);
        for (GgufTensorInfo t : tensors) {
            if (t.offset() > dataSize || t.byteSize() > dataSize - t.offset()) {
                throw in.error("tensor '" + t.name() + "' data (" + t.byteSize() + " bytes at file offset "
                        + (dataStart + t.offset()) + ") extends beyond the end of the file (" + fileSize
                        + " bytes); the file is truncated, download or convert it again");
            }
        }
        List<GgufTensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        for (int i = 1; i < byOffset.size(); i++) {
            GgufTensorInfo prev = byOffset.get(i - 1);
            GgufTensorInfo next = byOffset.get(i);
            if (prev.offset() + prev.byteSize() > next.offset()) {
                throw in.error("corrupt header: the data of tensors '" + prev.name() + "' and '" + next.name() + "' overlap");
            }
        }
    }
}
