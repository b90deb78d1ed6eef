package dev.kvasir.cache;

/**
 * Positions of a rotating cache mapped onto {@code maxSize} slots: the first {@code keep} positions
 * are pinned to slots {@code 0..keep-1}, later ones cycle through the remaining
 * {@code window = maxSize - keep} slots. Only the kept positions (the pinned ones and the last
 * {@code window}) are readable.
 */
final class RingTrack implements Track {
    private final Rows<?> slots;
    private final int keep;
    private final int window;

    RingTrack(Rows<?> slots, int keep, int window) {
        this.slots = slots;
        this.keep = keep;
        this.window = window;
    }

    int slot(int pos) {
        return pos < keep ? pos : keep + (pos - keep) % window;
    }

    @Override
    public void runs(int pos, int count, RunConsumer consumer) {
        while (count > 0) {
            int s = slot(pos);
            int take = Math.min(count, pos < keep ? keep - pos : keep + window - s);
            consumer.accept(slots, s, take);
            pos += take;
            count -= take;
        }
    }

    @Override
    public void write(int pos, float[] src, int off, int count) {
        int[] done = {0};
        runs(pos, count, (rows, row, n) -> {
            rows.write(row, src, off + done[0] * rows.width, n);
            done[0] += n;
        });
    }

    @Override
    public void read(int pos, int count, float[] dst, int off) {
        int[] done = {0};
        runs(pos, count, (rows, row, n) -> {
            rows.read(row, n, dst, off + done[0] * rows.width);
            done[0] += n;
        });
    }

    /** Only called while no position has wrapped, when slot = position. */
    @Override
    public void truncate(int size) {
        slots.truncate(size);
    }

    @Override
    public long bytes() {
        return slots.bytes();
    }

    @Override
    public RingTrack copy() {
        return new RingTrack(slots.copy(), keep, window);
    }
}
