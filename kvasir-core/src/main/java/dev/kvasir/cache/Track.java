package dev.kvasir.cache;

/**
 * One layer's K (or V) addressed by absolute position. A track maps positions onto one or more
 * {@link Rows} stores; the file format reads and writes through {@link #runs} so it copies each
 * store's native encoding in bulk.
 */
interface Track {
    void write(int pos, float[] src, int off, int count);

    void read(int pos, int count, float[] dst, int off);

    /** Forgets positions from {@code size} on, releasing whole chunks. */
    void truncate(int size);

    long bytes();

    /** A copy-on-write copy. */
    Track copy();

    /** The runs of rows that hold positions {@code [pos, pos+count)}, in position order. */
    void runs(int pos, int count, RunConsumer consumer);

    interface RunConsumer {
        void accept(Rows<?> rows, int row, int count);
    }
}
