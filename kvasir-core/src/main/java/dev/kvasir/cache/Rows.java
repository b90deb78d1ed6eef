package dev.kvasir.cache;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Growable storage of fixed-width float rows (one row = one token's K or V for one layer), kept in
 * chunks of {@link #CHUNK} rows. Chunks are copy-on-write: {@link #copy()} shares every chunk, and
 * whichever side writes to a shared chunk first clones it, so a fork costs nothing until it diverges
 * and never duplicates the common prefix.
 *
 * <p>A chunk's data is split into "planes" (primitive arrays), so the file format can copy rows in
 * and out in bulk without knowing the encoding.
 */
abstract sealed class Rows<C> implements Track permits F32Rows, F16Rows, QuantRows {
    /** Rows per chunk: storage grows in steps of this many tokens. */
    static final int CHUNK = 256;

    final int width;
    private final List<C> chunks;
    private final List<Boolean> owned;

    Rows(int width) {
        this.width = width;
        this.chunks = new ArrayList<>();
        this.owned = new ArrayList<>();
    }

    Rows(Rows<C> shared) {
        this.width = shared.width;
        this.chunks = new ArrayList<>(shared.chunks);
        this.owned = new ArrayList<>();
        for (int i = 0; i < shared.owned.size(); i++) {
            shared.owned.set(i, false);
            owned.add(false);
        }
    }

    abstract C newChunk();

    abstract C cloneChunk(C chunk);

    /** Encodes {@code rows} rows from {@code src[off..]} into the chunk starting at row {@code r}. */
    abstract void encode(C chunk, int r, float[] src, int off, int rows);

    /** Decodes {@code rows} rows of the chunk starting at row {@code r} into {@code dst[off..]}. */
    abstract void decode(C chunk, int r, int rows, float[] dst, int off);

    abstract long chunkBytes();

    abstract int planes();

    /** Element layout of a plane (little-endian, unaligned). */
    abstract ValueLayout planeLayout(int plane);

    /** Elements of a plane per row. */
    abstract int planeRowElements(int plane);

    /** The primitive array holding a plane of a chunk. */
    abstract Object planeArray(C chunk, int plane);

    /** An independent copy sharing all chunks copy-on-write. */
    @Override
    public abstract Rows<C> copy();

    /** A new empty store with the same encoding. */
    abstract Rows<C> emptyLike();

    /** Bytes one row takes when encoded (sum over planes). */
    final long rowBytes() {
        long b = 0;
        for (int p = 0; p < planes(); p++) {
            b += (long) planeRowElements(p) * planeLayout(p).byteSize();
        }
        return b;
    }

    final int capacity() {
        return chunks.size() * CHUNK;
    }

    @Override
    public final long bytes() {
        return chunks.size() * chunkBytes();
    }

    @Override
    public final void write(int row, float[] src, int off, int rows) {
        while (rows > 0) {
            int r = row % CHUNK;
            int take = Math.min(rows, CHUNK - r);
            encode(writable(row / CHUNK), r, src, off, take);
            row += take;
            off += take * width;
            rows -= take;
        }
    }

    @Override
    public final void read(int row, int rows, float[] dst, int off) {
        while (rows > 0) {
            int r = row % CHUNK;
            int take = Math.min(rows, CHUNK - r);
            decode(chunks.get(row / CHUNK), r, take, dst, off);
            row += take;
            off += take * width;
            rows -= take;
        }
    }

    /** Drops chunks that hold no row below {@code rows}, returning their memory. */
    @Override
    public final void truncate(int rows) {
        int keep = (rows + CHUNK - 1) / CHUNK;
        while (chunks.size() > keep) {
            chunks.removeLast();
            owned.removeLast();
        }
    }

    @Override
    public final void runs(int pos, int count, RunConsumer consumer) {
        consumer.accept(this, pos, count);
    }

    /** The chunk holding {@code row}, for reading a plane directly. */
    final C chunkFor(int row) {
        return chunks.get(row / CHUNK);
    }

    /** The chunk holding {@code row}, private to this store and allocated if needed. */
    final C writableChunkFor(int row) {
        return writable(row / CHUNK);
    }

    private C writable(int index) {
        while (chunks.size() <= index) {
            chunks.add(newChunk());
            owned.add(true);
        }
        if (!owned.get(index)) {
            chunks.set(index, cloneChunk(chunks.get(index)));
            owned.set(index, true);
        }
        return chunks.get(index);
    }
}
