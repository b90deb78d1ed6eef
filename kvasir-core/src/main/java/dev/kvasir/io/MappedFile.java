package dev.kvasir.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BiFunction;

/**
 * A whole file mapped read-only with a shared arena: readable from any thread, of any size (no 2 GiB limit), paged
 * in lazily by the OS. Closing unmaps it; segments taken from it must not be used afterwards.
 */
public final class MappedFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;

    private MappedFile(Path path, Arena arena, MemorySegment segment) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
    }

    /**
     * Maps {@code path}; I/O problems become {@code error.apply(oneLineMessage, cause)}, e.g. {@code GgufException::new},
     * so each format reports them with its own exception type.
     */
    public static MappedFile open(Path path, BiFunction<String, Throwable, ? extends RuntimeException> error) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return new MappedFile(path, arena, channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena));
        } catch (NoSuchFileException e) {
            arena.close();
            throw error.apply(path + ": no such file", e);
        } catch (IOException e) {
            arena.close();
            throw error.apply(path + ": cannot read the file (" + e.getMessage() + ")", e);
        }
    }

    public Path path() {
        return path;
    }

    /** The whole file, read-only. */
    public MemorySegment segment() {
        return segment;
    }

    /** Idempotent; safe to call from several threads. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
