package dev.kvasir.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Bytes produced on demand into a channel, so file writers (GGUF, safetensors) can stream multi-GB tensors that
 * are never held in memory at once.
 */
@FunctionalInterface
public interface ByteSource {
    void writeTo(WritableByteChannel out) throws IOException;

    /** The bytes of {@code segment}, of any size (ByteBuffer views are int-indexed, so big segments go in chunks). */
    static ByteSource of(MemorySegment segment) {
        return out -> {
            final long chunk = 1 << 26;
            for (long at = 0; at < segment.byteSize(); at += chunk) {
                writeFully(out, segment.asSlice(at, Math.min(chunk, segment.byteSize() - at)).asByteBuffer());
            }
        };
    }

    /** Writes all of {@code buffer}; a channel may accept only part of it per call. */
    static void writeFully(WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
