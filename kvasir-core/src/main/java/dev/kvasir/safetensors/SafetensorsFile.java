package dev.kvasir.safetensors;

import dev.kvasir.io.MappedFile;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open safetensors file: validated header plus the whole file mapped read-only with a shared arena (any thread,
 * any size). Tensor data is little-endian, row-major. Closing unmaps the file.
 */
public final class SafetensorsFile implements AutoCloseable {
    private final MappedFile file;
    private final MemorySegment mapping;
    private final SafetensorsHeader header;
    private final Map<String, SafetensorsTensor> byName = new LinkedHashMap<>();

    private SafetensorsFile(MappedFile file, SafetensorsHeader header) {
        this.file = file;
        this.mapping = file.segment();
        this.header = header;
        header.tensors().forEach(t -> byName.put(t.name(), t));
    }

    /** Maps and validates a safetensors file; every problem is a one-line {@link SafetensorsException}. */
    public static SafetensorsFile open(Path path) {
        MappedFile file = MappedFile.open(path, SafetensorsException::new);
        try {
            return new SafetensorsFile(file, SafetensorsHeader.parse(file.segment(), path.toString()));
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public Path path() {
        return file.path();
    }

    /** The {@code __metadata__} strings (empty when absent), in file order. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** Tensors in header order. */
    public List<SafetensorsTensor> tensors() {
        return header.tensors();
    }

    public Optional<SafetensorsTensor> tensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** File offset of the data section: 8 + the header length. */
    public long dataOffset() {
        return header.dataStart();
    }

    /** The tensor's bytes: a read-only slice of the mapping. */
    public MemorySegment tensorData(SafetensorsTensor tensor) {
        if (!tensor.equals(byName.get(tensor.name()))) {
            throw new IllegalArgumentException("tensor " + tensor.name() + " is not from " + path());
        }
        return mapping.asSlice(header.dataStart() + tensor.begin(), tensor.byteSize()).asReadOnly();
    }

    @Override
    public void close() {
        file.close();
    }
}
