package dev.kvasir.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Passes exactly {@code length} bytes through to another channel and refuses more or fewer, so that a
 * {@link ByteSource} that misbehaves cannot shift the layout of the file being written.
 */
public final class ExactLengthChannel implements WritableByteChannel {
    private final WritableByteChannel out;
    private final long length;
    private final String what;
    private long written;

    /** {@code what} names the data in error messages, e.g. "tensor 'blk.0.attn_q.weight'". */
    public ExactLengthChannel(WritableByteChannel out, long length, String what) {
        this.out = out;
        this.length = length;
        this.what = what;
    }

    /** Streams {@code source} through a new channel of {@code length} bytes and checks that it wrote them all. */
    public static void write(WritableByteChannel out, long length, String what, ByteSource source) throws IOException {
        ExactLengthChannel channel = new ExactLengthChannel(out, length, what);
        source.writeTo(channel);
        channel.checkComplete();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (src.remaining() > length - written) {
            throw new IOException("data source of " + what + " wrote more than its " + length + " bytes");
        }
        int n = out.write(src);
        written += n;
        return n;
    }

    public void checkComplete() throws IOException {
        if (written != length) {
            throw new IOException("data source of " + what + " wrote " + written + " of its " + length + " bytes");
        }
    }

    @Override
    public boolean isOpen() {
        return out.isOpen();
    }

    @Override
    public void close() {
        // the underlying channel belongs to the file writer
    }
}
