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

/**
 * Decode-step matvec at TinyLlama-1.1B shapes (attention 2048x2048, FFN 5632x2048) and a tiny
 * stories260K-like shape where hand-off overhead dominates. Weight bytes / time = achieved bandwidth.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatVecBenchmark {
    @Param({"Q4_0", "Q8_0", "F32", "Q4_K", "Q6_K"})
    public String type;

    @Param({"2048x2048", "5632x2048", "64x64"})
    public String shape;

    @Param({"0"})
    public int threads;

    private WeightMatrix matrix;
    private float[] x;
    private float[] out;

    @Setup
    public void setUp() {
        String[] dims = shape.split("x");
        int rows = Integer.parseInt(dims[0]);
        int cols = Integer.parseInt(dims[1]);
        GgmlType t = GgmlType.valueOf(type);
        if (cols % t.blockSize() != 0) {
            cols = t.blockSize();
        }
        if (threads > 0) {
            Parallel.setThreads(threads);
        }
        matrix = Weights.random(t, rows, cols, 1);
        x = Weights.activations(cols, 2);
        out = new float[rows];
    }

    @Benchmark
    public float[] matvec(CpuTime cpu) {
        matrix.matvec(x, out);
        return out;
    }
}
