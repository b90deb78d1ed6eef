package dev.kvasir.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private final int defaultThreads = Runtime.getRuntime().availableProcessors();

    @AfterEach
    void restore() {
        Parallel.setThreads(defaultThreads);
    }

    @Test
    void everyIndexRunsExactlyOnce() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            Parallel.setThreads(threads);
            for (int[] range : new int[][] {{0, 1}, {0, 2}, {3, 10}, {0, 1000}, {7, 7}, {-5, 94}}) {
                for (int grain : new int[] {1, 4, 64}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(1100);
                    Parallel.forRange(range[0], range[1], grain, (lo, hi) -> {
                        for (int i = lo; i < hi; i++) {
                            hits.incrementAndGet(i + 5);
                        }
                    });
                    for (int i = -5; i < 1000; i++) {
                        boolean inside = i >= range[0] && i < range[1];
                        assertThat(hits.get(i + 5)).as("threads=%d range=%d..%d index %d", threads, range[0], range[1], i)
                                .isEqualTo(inside ? 1 : 0);
                    }
                }
            }
        }
    }

    @Test
    void smallRangesRunInlineOnTheCaller() {
        Parallel.setThreads(4);
        Thread caller = Thread.currentThread();
        List<Thread> seen = new ArrayList<>();
        Parallel.forRange(0, 7, 4, (lo, hi) -> seen.add(Thread.currentThread()));
        assertThat(seen).containsExactly(caller);
    }

    @Test
    void largeRangesUseWorkerThreads() {
        Parallel.setThreads(3);
        java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // Chunks block until all three threads took one, proving the work was really split.
        java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(3);
        Parallel.forRange(0, 3, (lo, hi) -> {
            names.add(Thread.currentThread().getName());
            all.countDown();
            try {
                all.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(names).hasSize(3).anyMatch(n -> n.startsWith("kvasir-worker-"));
    }

    @Test
    void exceptionsReachTheCallerAndThePoolStaysUsable() {
        Parallel.setThreads(2);
        assertThatThrownBy(() -> Parallel.forRange(0, 100, (lo, hi) -> {
            if (lo <= 50 && 50 < hi) {
                throw new IllegalStateException("boom at 50");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom at 50");
        int[] sum = new int[1];
        Parallel.forRange(0, 10, (lo, hi) -> {
            synchronized (sum) {
                sum[0] += hi - lo;
            }
        });
        assertThat(sum[0]).isEqualTo(10);
    }

    @Test
    void nestedAndConcurrentLoopsCompleteCorrectly() throws Exception {
        Parallel.setThreads(2);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                results.add(callers.submit(() -> {
                    java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
                    for (int rep = 0; rep < 200; rep++) {
                        Parallel.forRange(0, 20, (lo, hi) -> {
                            for (int i = lo; i < hi; i++) {
                                int outer = i;
                                Parallel.forRange(0, 10, (a, b) -> total.addAndGet((long) (b - a) * outer));
                            }
                        });
                    }
                    return total.get();
                }));
            }
            for (Future<Long> f : results) {
                assertThat(f.get()).isEqualTo(200L * 10 * (19 * 20 / 2));
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void threadCountMustBePositive() {
        assertThatThrownBy(() -> Parallel.setThreads(0)).isInstanceOf(IllegalArgumentException.class);
        Parallel.setThreads(3);
        assertThat(Parallel.threads()).isEqualTo(3);
    }
}
