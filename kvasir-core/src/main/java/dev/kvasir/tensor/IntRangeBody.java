package dev.kvasir.tensor;

/** Work on the half-open index range {@code [from, to)}; called concurrently on disjoint ranges. */
@FunctionalInterface
public interface IntRangeBody {
    void run(int from, int to);
}
