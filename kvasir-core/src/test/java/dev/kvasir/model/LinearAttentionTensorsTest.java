package dev.kvasir.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.gguf.GgufFile;
import dev.kvasir.gguf.GgufWriter;
import dev.kvasir.model.recurrent.LinearAttention;
import dev.kvasir.model.recurrent.LinearAttentionShape;
import dev.kvasir.model.recurrent.LinearAttentionState;
import dev.kvasir.model.recurrent.LinearAttentionWeights;
import dev.kvasir.tensor.GgmlType;
import dev.kvasir.tensor.WeightMatrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LayerTensors reads a Qwen3.5 linear-attention block under llama.cpp's names and shapes. */
class LinearAttentionTensorsTest {
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final LinearAttentionShape SHAPE = new LinearAttentionShape(16, 2, 4, 4, 4, 1e-6f);
    private static final ModelConfig CONFIG =
            new ModelConfig(Architecture.QWEN3, 16, 1, 4, 2, 4, 24, 64, 1e-6f, 10000f, 1f, 4, 40);

    @TempDir
    Path dir;

    @Test
    void theLoadedLayerComputesWhatTheSameWeightsComputeInMemory() {
        Map<String, float[]> t = tensors(SHAPE.valueDim());
        Path file = write(t, SHAPE.valueDim());
        float[] x = random(new Random(1), 5 * SHAPE.embd());
        float[] fromFile = new float[x.length];
        float[] inMemory = new float[x.length];
        try (GgufFile gguf = GgufFile.open(file)) {
            LinearAttentionWeights w = new LayerTensors(new TensorSource(gguf), CONFIG, 0).linearAttention(SHAPE);
            new LinearAttention(SHAPE, w).forward(x, 5, fromFile, LinearAttentionState.zeros(SHAPE));
        }
        int c = SHAPE.convChannels(), e = SHAPE.embd();
        new LinearAttention(SHAPE, new LinearAttentionWeights(m(t, "attn_qkv.weight", c), m(t, "attn_gate.weight", SHAPE.valueDim()),
                m(t, "ssm_beta.weight", 4), m(t, "ssm_alpha.weight", 4), t.get("blk.0.ssm_dt.bias"), t.get("blk.0.ssm_a"),
                t.get("blk.0.ssm_conv1d.weight"), t.get("blk.0.ssm_norm.weight"), m(t, "ssm_out.weight", e)))
                .forward(x, 5, inMemory, LinearAttentionState.zeros(SHAPE));
        assertThat(fromFile).containsExactly(inMemory);
        double largest = 0;
        for (float v : fromFile) largest = Math.max(largest, Math.abs(v));
        assertThat(largest).as("outputs are not all zero").isGreaterThan(1e-3);
    }

    @Test
    void aMisshapenTensorIsNamedInOneLine() {
        Path file = write(tensors(SHAPE.valueDim() - 4), SHAPE.valueDim() - 4);
        try (GgufFile gguf = GgufFile.open(file)) {
            LayerTensors layer = new LayerTensors(new TensorSource(gguf), CONFIG, 0);
            assertThatThrownBy(() -> layer.linearAttention(SHAPE)).isInstanceOf(KvasirException.class)
                    .hasMessageContaining("blk.0.attn_gate.weight").hasMessageContaining("re-convert");
        }
    }

    /** One layer's tensors with values in ggml order; {@code gateRows} lets a test break attn_gate. */
    private static Map<String, float[]> tensors(int gateRows) {
        Random r = new Random(35);
        int e = SHAPE.embd(), c = SHAPE.convChannels(), v = SHAPE.valueDim(), h = SHAPE.vHeads();
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("blk.0.attn_qkv.weight", random(r, c * e));
        t.put("blk.0.attn_gate.weight", random(r, gateRows * e));
        t.put("blk.0.ssm_beta.weight", random(r, h * e));
        t.put("blk.0.ssm_alpha.weight", random(r, h * e));
        t.put("blk.0.ssm_dt.bias", random(r, h));
        t.put("blk.0.ssm_a", new float[] {-0.5f, -1f, -2f, -0.1f});
        t.put("blk.0.ssm_conv1d.weight", random(r, c * SHAPE.convKernel()));
        t.put("blk.0.ssm_norm.weight", random(r, SHAPE.headDim()));
        t.put("blk.0.ssm_out.weight", random(r, e * v));
        return t;
    }

    private Path write(Map<String, float[]> t, int gateRows) {
        int e = SHAPE.embd(), c = SHAPE.convChannels(), v = SHAPE.valueDim(), h = SHAPE.vHeads();
        Map<String, long[]> shapes = Map.of(
                "blk.0.attn_qkv.weight", new long[] {e, c}, "blk.0.attn_gate.weight", new long[] {e, gateRows},
                "blk.0.ssm_beta.weight", new long[] {e, h}, "blk.0.ssm_alpha.weight", new long[] {e, h},
                "blk.0.ssm_dt.bias", new long[] {h}, "blk.0.ssm_a", new long[] {h},
                "blk.0.ssm_conv1d.weight", new long[] {SHAPE.convKernel(), c},
                "blk.0.ssm_norm.weight", new long[] {SHAPE.headDim()}, "blk.0.ssm_out.weight", new long[] {v, e});
        GgufWriter w = new GgufWriter().putString("general.architecture", "qwen35");
        t.forEach((name, values) -> w.addTensor(name, GgmlType.F32, shapes.get(name), segment(values)));
        Path file = dir.resolve("linear.gguf");
        w.write(file);
        return file;
    }

    private static WeightMatrix m(Map<String, float[]> t, String name, int rows) {
        float[] values = t.get("blk.0." + name);
        return WeightMatrix.of(GgmlType.F32, segment(values), rows, values.length / rows);
    }

    private static MemorySegment segment(float[] values) {
        MemorySegment data = MemorySegment.ofArray(new byte[values.length * Float.BYTES]);
        MemorySegment.copy(values, 0, data, F32_LE, 0, values.length);
        return data;
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (0.4 * r.nextGaussian());
        return a;
    }
}
