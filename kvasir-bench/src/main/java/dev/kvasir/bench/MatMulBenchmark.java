package dev.kvasir.bench;

import dev.kvasir.tensor.GgmlType;
import dev.kvasir.tensor.Parallel;
import dev.kvasir.tensor.WeightMatrix;
import java.util.concurrent.TimeUnit;
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

/** Prefill: a batch of token activations through one 2048x2048 weight (2 * 2048^2 * batch flops). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatMulBenchmark {
    @Param({"Q4_0", "Q8_0", "F32"})
    public String type;

    @Param({"32"})
    public int batch;

    /** Threads of the matmul (1: the per-core GFLOP/s that CpuTime measures; 0: the default pool). */
    @Param({"1"})
    public int threads;

    private WeightMatrix matrix;
    private float[] x;
    private float[] out;

    @Setup
    public void setUp() {
        if (threads > 0) {
            Parallel.setThreads(threads);
        }
        matrix = Weights.random(GgmlType.valueOf(type), 2048, 2048, 1);
        x = Weights.activations(batch * 2048, 2);
        out = new float[batch * 2048];
    }

    @Benchmark
    public float[] matmul(CpuTime cpu) {
        matrix.matmul(x, batch, out);
        return out;
    }
}
