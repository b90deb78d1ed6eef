package dev.kvasir.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The benchmark thread's CPU time next to JMH's wall time. On a shared machine (many processes per
 * core) wall time mostly measures waiting for a core; CPU time per call ({@code cpuNanos / calls},
 * both totals per iteration, see {@code bench/jmh-table.py}) measures the kernel. Memory and cache
 * contention from the other processes still count in both.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public long cpuNanos;
    public long calls;
    private long start;

    @Setup(Level.Iteration)
    public void reset() {
        cpuNanos = 0;
        calls = 0;
    }

    @Setup(Level.Invocation)
    public void begin() {
        start = THREADS.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Invocation)
    public void end() {
        cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
        calls++;
    }
}
