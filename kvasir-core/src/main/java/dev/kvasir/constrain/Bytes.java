package dev.kvasir.constrain;

/** 256-bit sets of byte values, as 4 longs. */
final class Bytes {
    private Bytes() {}

    static long[] range(long[] bits, int lo, int hi) {
        for (int b = lo; b <= hi; b++) {
            bits[b >>> 6] |= 1L << (b & 63);
        }
        return bits;
    }

    static long[] remove(long[] bits, int b) {
        bits[b >>> 6] &= ~(1L << (b & 63));
        return bits;
    }

    static boolean contains(long[] bits, int b) {
        return (bits[b >>> 6] & (1L << (b & 63))) != 0;
    }
}
