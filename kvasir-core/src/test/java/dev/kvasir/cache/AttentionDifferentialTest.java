package dev.kvasir.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.tensor.GgmlType;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The SIMD attention against {@link ScalarAttention} (the position-by-position kernel it replaced),
 * bit for bit: greedy decoding equals llama.cpp's only while every rounding stays where it was.
 * (Thread counts are covered by {@code FullKvCacheTest.threadCountDoesNotChangeBits}.)
 */
class AttentionDifferentialTest {
    /** Query window: keep, window, first query position, batch size. */
    private record Span(int keep, int window, int pos0, int n) {
    }

    private static final List<Span> SPANS = List.of(
            new Span(0, Integer.MAX_VALUE, 0, 1),
            new Span(0, Integer.MAX_VALUE, 0, 19),
            new Span(0, Integer.MAX_VALUE, 300, 1), // decode after a full block
            new Span(0, Integer.MAX_VALUE, 250, 17), // batch across a block boundary
            new Span(0, Integer.MAX_VALUE, 700, 3),
            new Span(4, 100, 520, 5), // pinned head + sliding window, both in other blocks
            new Span(300, 37, 640, 2), // pinned run longer than a block
            new Span(0, 1, 90, 4)); // each query sees only itself

    private static final int[][] GQA = {{1, 1}, {4, 8}, {2, 8}, {1, 3}};

    @Test
    void matchesScalarKernelBitForBit() {
        SplittableRandom random = new SplittableRandom(20261128);
        int cases = 0;
        for (int headDim : new int[] {4, 8, 12, 16, 24, 32, 40, 64, 128}) {
            for (GgmlType storage : new GgmlType[] {GgmlType.F16, GgmlType.F32}) {
                for (int s = 0; s < SPANS.size(); s++) {
                    int[] gqa = GQA[(s + headDim) % GQA.length];
                    check(new KvLayout(1, gqa[0], headDim), gqa[1], storage, SPANS.get(s), random);
                    cases++;
                }
            }
        }
        assertThat(cases).isEqualTo(9 * 2 * SPANS.size());
    }

    /**
     * Random K/V/q at several scales: peaked and flat softmaxes, V sums in F16's subnormal range and
     * past its largest value (infinity), so every rounding path of the F16 accumulator is taken.
     */
    private static void check(KvLayout layout, int heads, GgmlType storage, Span span, SplittableRandom random) {
        int positions = span.pos0() + span.n();
        double qScale = new double[] {0.05, 1, 6}[random.nextInt(3)];
        double vScale = new double[] {1e-6, 1, 2e4}[random.nextInt(3)];
        float[] k = values(random, positions * layout.kvDim(), 1, storage);
        float[] v = values(random, positions * layout.kvDim(), vScale, storage);
        float[] q = values(random, span.n() * heads * layout.headDim(), qScale, GgmlType.F32);
        Attention.Source source = (pos, count, kd, vd, off) -> {
            System.arraycopy(k, pos * layout.kvDim(), kd, off, count * layout.kvDim());
            System.arraycopy(v, pos * layout.kvDim(), vd, off, count * layout.kvDim());
        };
        float[] expected = new float[q.length];
        float[] actual = new float[q.length];
        // the transformer's scoring, Gemma's (queries pre-scaled) and Gemma 2's soft-capped logits
        Scoring scoring = switch (random.nextInt(3)) {
            case 0 -> Scoring.standard(layout.headDim());
            case 1 -> new Scoring(1f, 0f);
            default -> new Scoring(0.7f, 5f);
        };
        new ScalarAttention(layout, storage).attend(q, span.n(), heads, span.pos0(), span.keep(), span.window(), scoring,
                source, expected);
        new Attention(layout, storage).attend(q, span.n(), heads, span.pos0(), span.keep(), span.window(), scoring, source,
                actual);
        int diff = firstDifference(actual, expected);
        assertThat(diff)
                .as("%s heads %d %s %s %s q×%s v×%s: first different output %d: %s, scalar kernel %s", layout, heads,
                        storage, span, scoring, qScale, vScale, diff, diff < 0 ? "" : actual[diff], diff < 0 ? "" : expected[diff])
                .isEqualTo(-1);
    }

    private static float[] values(SplittableRandom random, int n, double scale, GgmlType storage) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            float x = (float) (random.nextGaussian() * scale);
            a[i] = storage == GgmlType.F16 ? GgmlF16.round(x) : x; // what the cache stores
        }
        return a;
    }

    private static int firstDifference(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return i;
            }
        }
        return -1;
    }
}
