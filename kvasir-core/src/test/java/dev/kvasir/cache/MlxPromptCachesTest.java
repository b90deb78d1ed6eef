package dev.kvasir.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.tensor.GgmlType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MlxPromptCachesTest {
    private static final KvLayout LAYOUT = new KvLayout(2, 2, 4);
    private static final ModelIdentity LLAMA = new ModelIdentity("fp", "llama", LAYOUT, 10000f, "norm");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"F16", "F32"})
    void exportThenImportIsBitExact(String type) {
        Path file = dir.resolve("c.safetensors");
        PromptCache pc = PromptCache.create(KvcFileTest.MODEL, CacheOptions.full(GgmlType.valueOf(type)));
        pc.putMetadata("chat_template", "{{ messages }}");
        SyntheticKv.fill(pc, 3, 300, 64); // crosses a 256-token chunk
        MlxPromptCaches.export(pc, file);
        PromptCache back = MlxPromptCaches.importFrom(file, KvcFileTest.MODEL);
        assertThat(back.options()).isEqualTo(pc.options());
        assertThat(back.tokens()).containsExactly(pc.tokens());
        assertThat(back.metadata()).isEqualTo(pc.metadata());
        CacheContent.assertSame(back.cache(), pc.cache());
    }

    @Test
    void headerAndLayoutMatchMlxLm() throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        PromptCache pc = PromptCache.create(LLAMA, CacheOptions.full(GgmlType.F32));
        pc.putMetadata("name", "x");
        SyntheticKv.fill(pc.cache(), 9, 0, 3, 3);
        pc.accepted(5, 6, 7);
        MlxPromptCaches.export(pc, file);

        byte[] bytes = Files.readAllBytes(file);
        int length = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, length, StandardCharsets.UTF_8);
        String tensor = "{\"dtype\":\"F32\",\"shape\":[1,2,3,4],\"data_offsets\":[%d,%d]}";
        String expected = "{\"__metadata__\":{\"0.0\":\"\",\"0.1\":\"\",\"1.name\":\"x\",\"1.kvasir_tokens\":\"5,6,7\","
                + "\"1.kvasir_fingerprint\":\"fp\",\"2.0\":\"KVCache\",\"2.1\":\"KVCache\"},"
                + "\"0.0\":" + tensor.formatted(0, 96) + ",\"0.1\":" + tensor.formatted(96, 192) + ","
                + "\"1.0\":" + tensor.formatted(192, 288) + ",\"1.1\":" + tensor.formatted(288, 384) + "}";
        assertThat(header.stripTrailing()).isEqualTo(expected);
        assertThat(length % 8).isZero();

        // [1, kv_heads, tokens, head_dim]: values as stored, keys un-permuted to Hugging Face order per head
        ByteBuffer data = ByteBuffer.wrap(bytes, 8 + length, 384).slice().order(ByteOrder.LITTLE_ENDIAN);
        int kvDim = LAYOUT.kvDim();
        for (int h = 0; h < 2; h++) {
            for (int t = 0; t < 3; t++) {
                for (int d = 0; d < 4; d++) {
                    float v = data.getFloat(96 + ((h * 3 + t) * 4 + d) * 4);
                    assertThat(v).isEqualTo(SyntheticKv.value(9, 0, 1, t, h * 4 + d));
                    int kvasirIndex = new int[] {0, 2, 1, 3}[d];
                    assertThat(data.getFloat(((h * 3 + t) * 4 + d) * 4)).isEqualTo(SyntheticKv.value(9, 0, 0, t, h * 4 + kvasirIndex));
                }
            }
        }
        assertThat(kvDim).isEqualTo(8);
        PromptCache back = MlxPromptCaches.importFrom(file, LLAMA);
        CacheContent.assertSame(back.cache(), pc.cache());
        assertThat(back.metadata()).isEqualTo(Map.of("name", "x"));
    }

    @Test
    void refusesWhatCannotCarryOver() {
        Path file = dir.resolve("r.safetensors");
        PromptCache rotating = PromptCache.create(LLAMA, CacheOptions.rotating(10, 2));
        assertThatThrownBy(() -> MlxPromptCaches.export(rotating, file)).isInstanceOf(KvasirException.class)
                .hasMessageContaining("only full caches");
        PromptCache pc = PromptCache.create(LLAMA, CacheOptions.full());
        SyntheticKv.fill(pc, 1, 4, 4);
        MlxPromptCaches.export(pc, file);
        assertThatThrownBy(() -> MlxPromptCaches.importFrom(file, new ModelIdentity("other", "llama", LAYOUT, 10000f, "norm")))
                .isInstanceOf(KvasirException.class).hasMessageContaining("fp").hasMessageContaining("other");
        assertThatThrownBy(() -> MlxPromptCaches.importFrom(file, new ModelIdentity("fp", "llama", new KvLayout(3, 2, 4), 10000f, "norm")))
                .isInstanceOf(KvasirException.class).hasMessageContaining("2 layers but the model has 3");
        assertThatThrownBy(() -> MlxPromptCaches.importFrom(file, new ModelIdentity("fp", "llama", new KvLayout(2, 1, 8), 10000f, "norm")))
                .isInstanceOf(KvasirException.class).hasMessageContaining("shape");
    }
}
