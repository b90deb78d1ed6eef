package dev.kvasir.cache;

/** Positions below {@code split} in one store (full precision), the rest in another (quantized). */
final class SplitTrack implements Track {
    private final Rows<?> head;
    private final Rows<?> tail;
    private final int split;

    SplitTrack(Rows<?> head, Rows<?> tail, int split) {
        this.head = head;
        this.tail = tail;
        this.split = split;
    }

    @Override
    public void write(int pos, float[] src, int off, int count) {
        runs(pos, count, (rows, row, n) -> {
            rows.write(row, src, off + (position(rows, row) - pos) * rows.width, n);
        });
    }

    @Override
    public void read(int pos, int count, float[] dst, int off) {
        runs(pos, count, (rows, row, n) -> rows.read(row, n, dst, off + (position(rows, row) - pos) * rows.width));
    }

    private int position(Rows<?> rows, int row) {
        return rows == head ? row : row + split;
    }

    @Override
    public void runs(int pos, int count, RunConsumer consumer) {
        int inHead = Math.clamp((long) split - pos, 0, count);
        if (inHead > 0) {
            consumer.accept(head, pos, inHead);
        }
        if (count > inHead) {
            consumer.accept(tail, pos + inHead - split, count - inHead);
        }
    }

    @Override
    public void truncate(int size) {
        head.truncate(Math.min(size, split));
        tail.truncate(Math.max(0, size - split));
    }

    @Override
    public long bytes() {
        return head.bytes() + tail.bytes();
    }

    @Override
    public SplitTrack copy() {
        return new SplitTrack(head.copy(), tail.copy(), split);
    }
}
