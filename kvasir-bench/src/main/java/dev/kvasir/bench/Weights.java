package dev.kvasir.bench;

import dev.kvasir.tensor.GgmlType;
import dev.kvasir.tensor.Quantizer;
import dev.kvasir.tensor.WeightMatrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/** Random weights in a GGUF encoding, off-heap like a mapped model file. */
final class Weights {
    private Weights() {}

    static WeightMatrix random(GgmlType type, int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian() * 0.02f;
        }
        byte[] bytes = Quantizer.quantize(type, w, rows, cols);
        MemorySegment seg = Arena.global().allocate(bytes.length, 64);
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return WeightMatrix.of(type, seg, rows, cols);
    }

    static float[] activations(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
