package dev.kvasir.cache;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** Bulk copies of rows between storage chunks and .kvc data: per run, plane by plane, chunk pieces at a time. */
final class RowsIo {
    private RowsIo() {
    }

    /** Bytes that {@link #write} produces for positions {@code [pos, pos+count)} of a track. */
    static long bytes(Track track, int pos, int count) {
        long[] total = {0};
        track.runs(pos, count, (rows, row, n) -> total[0] += n * rows.rowBytes());
        return total[0];
    }

    static void write(Track track, int pos, int count, RecordSink sink) throws IOException {
        IOException[] failure = {null};
        track.runs(pos, count, (rows, row, n) -> {
            if (failure[0] == null) {
                try {
                    writeRun(rows, row, n, sink);
                } catch (IOException e) {
                    failure[0] = e;
                }
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** Reads positions {@code [pos, pos+count)} into a track from {@code src} at {@code offset}; returns the new offset. */
    static long read(Track track, int pos, int count, MemorySegment src, long offset) {
        long[] at = {offset};
        track.runs(pos, count, (rows, row, n) -> at[0] = readRun(rows, row, n, src, at[0]));
        return at[0];
    }

    private static <C> void writeRun(Rows<C> rows, int row, int count, RecordSink sink) throws IOException {
        for (int p = 0; p < rows.planes(); p++) {
            int per = rows.planeRowElements(p);
            for (int r = row, end = row + count; r < end; ) {
                int take = Math.min(end - r, Rows.CHUNK - r % Rows.CHUNK);
                sink.putArray(rows.planeArray(rows.chunkFor(r), p), rows.planeLayout(p), (r % Rows.CHUNK) * per, take * per);
                r += take;
            }
        }
    }

    private static <C> long readRun(Rows<C> rows, int row, int count, MemorySegment src, long offset) {
        for (int p = 0; p < rows.planes(); p++) {
            int per = rows.planeRowElements(p);
            long size = rows.planeLayout(p).byteSize();
            for (int r = row, end = row + count; r < end; ) {
                int take = Math.min(end - r, Rows.CHUNK - r % Rows.CHUNK);
                MemorySegment.copy(src, rows.planeLayout(p), offset, rows.planeArray(rows.writableChunkFor(r), p),
                        (r % Rows.CHUNK) * per, take * per);
                offset += take * per * size;
                r += take;
            }
        }
        return offset;
    }
}
