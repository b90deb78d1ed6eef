package dev.kvasir.cache;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Streams little-endian .kvc records to a channel (a file, or memory for KV chunks) through a fixed 1 MiB buffer (never the whole
 * record in memory), keeping a CRC32C of everything written since the last {@link #endRecord}.
 */
final class RecordSink {
    private static final int BUFFER = 1 << 20;

    private final WritableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private final MemorySegment bufferSegment = MemorySegment.ofBuffer(buffer);
    private final CRC32C crc = new CRC32C();
    private long recordBytes;

    RecordSink(WritableByteChannel channel) {
        this.channel = channel;
    }

    void putInt(int v) throws IOException {
        room(Integer.BYTES).putInt(v);
    }

    void putLong(long v) throws IOException {
        room(Long.BYTES).putLong(v);
    }

    void putBytes(byte[] b) throws IOException {
        putArray(b, Planes.U8, 0, b.length);
    }

    void putString(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        putInt(b.length);
        putBytes(b);
    }

    /** Copies {@code count} elements of a primitive array starting at {@code index}, in bulk. */
    void putArray(Object array, ValueLayout layout, int index, int count) throws IOException {
        int size = (int) layout.byteSize();
        while (count > 0) {
            int take = Math.min(count, room(size).remaining() / size);
            MemorySegment.copy(array, index, bufferSegment, layout, buffer.position(), take);
            buffer.position(buffer.position() + take * size);
            index += take;
            count -= take;
        }
    }

    private ByteBuffer room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
        return buffer;
    }

    private void flush() throws IOException {
        buffer.flip();
        crc.update(buffer.duplicate());
        recordBytes += buffer.remaining();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /**
     * Ends a record: writes its CRC32C (not itself checksummed) and returns the record's length
     * without it, so the caller can check it wrote exactly what it announced.
     */
    long endRecord() throws IOException {
        flush();
        long length = recordBytes;
        buffer.putInt((int) crc.getValue());
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
        crc.reset();
        recordBytes = 0;
        return length;
    }
}
