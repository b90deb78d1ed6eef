package dev.kvasir.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's limits the kernel benchmarks are measured against, on one thread:
 * {@code stream}: read bandwidth, summing a large off-heap array (as mapped weights are) with the
 * widest vectors (bytes / time = GB/s; 256 MiB is far beyond L2, and beyond what a shared L3 keeps);
 * {@code streamArray}: the same from a heap float[];
 * {@code fmaPeak}: fp32 FMA throughput with 12 independent accumulators in registers
 * (2 * lanes * 12 * iterations flops per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class StreamBenchmark {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;

    /** Bytes streamed per call. */
    @Param({"67108864", "268435456"})
    public long bytes;

    /** FMA loop iterations per call (each 12 vector FMAs). */
    public static final int FMA_ITERATIONS = 1 << 20;

    private MemorySegment data;
    private float[] array;
    private float seed;

    @Setup
    public void setUp() {
        data = Arena.global().allocate(bytes, 64);
        for (long i = 0; i < bytes; i += 8) {
            data.set(java.lang.foreign.ValueLayout.JAVA_LONG, i, i * 0x9E3779B97F4A7C15L);
        }
        array = new float[(int) (bytes / 4)];
        for (int i = 0; i < array.length; i++) {
            array[i] = i;
        }
        seed = 1.0001f;
    }

    @Benchmark
    public int stream(CpuTime cpu) {
        ByteVector a0 = ByteVector.zero(B), a1 = a0, a2 = a0, a3 = a0;
        long step = B.vectorByteSize();
        for (long i = 0; i + 4 * step <= bytes; i += 4 * step) {
            a0 = a0.add(ByteVector.fromMemorySegment(B, data, i, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(ByteVector.fromMemorySegment(B, data, i + step, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(ByteVector.fromMemorySegment(B, data, i + 2 * step, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(ByteVector.fromMemorySegment(B, data, i + 3 * step, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    /** The same bandwidth from a heap array (int-indexed loop, the best case of C2's loop optimizations). */
    @Benchmark
    public float streamArray(CpuTime cpu) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int step = F.length();
        for (int i = 0; i + 4 * step <= array.length; i += 4 * step) {
            a0 = a0.add(FloatVector.fromArray(F, array, i));
            a1 = a1.add(FloatVector.fromArray(F, array, i + step));
            a2 = a2.add(FloatVector.fromArray(F, array, i + 2 * step));
            a3 = a3.add(FloatVector.fromArray(F, array, i + 3 * step));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    public float fmaPeak(CpuTime cpu) {
        FloatVector m = FloatVector.broadcast(F, seed), c = FloatVector.broadcast(F, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(F, 1), a1 = a0.add(1), a2 = a0.add(2), a3 = a0.add(3);
        FloatVector a4 = a0.add(4), a5 = a0.add(5), a6 = a0.add(6), a7 = a0.add(7);
        FloatVector a8 = a0.add(8), a9 = a0.add(9), a10 = a0.add(10), a11 = a0.add(11);
        for (int i = 0; i < FMA_ITERATIONS; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
