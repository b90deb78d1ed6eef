package dev.kvasir.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.json.Json;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path tmp;

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** A file made of the given header text (length-prefixed, as is) and data. */
    private Path raw(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return Files.write(tmp.resolve(name), b.array());
    }

    @Test
    void roundTripsTensorsAndMetadata() {
        Path file = tmp.resolve("model.safetensors");
        byte[] a = bytes(24, 1);
        byte[] streamed = bytes(1000, 7);
        new SafetensorsWriter().putMetadata("format", "pt").putMetadata("note", "é \"quoted\"")
                .addTensor("a", SafetensorsDType.F32, new long[] {2, 3}, MemorySegment.ofArray(a))
                .addTensor("b", SafetensorsDType.BF16, new long[] {0, 5}, MemorySegment.ofArray(new byte[0]))
                .addTensor("scalar", SafetensorsDType.I64, new long[] {}, MemorySegment.ofArray(bytes(8, 3)))
                .addTensor("streamed", SafetensorsDType.U8, new long[] {10, 100}, out -> {
                    out.write(ByteBuffer.wrap(streamed, 0, 400));
                    out.write(ByteBuffer.wrap(streamed, 400, 600));
                })
                .write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.metadata()).containsExactly(Map.entry("format", "pt"), Map.entry("note", "é \"quoted\""));
            assertThat(st.tensors()).extracting(SafetensorsTensor::name).containsExactly("a", "b", "scalar", "streamed");
            SafetensorsTensor ta = st.tensor("a").orElseThrow();
            assertThat(ta.dtype()).isEqualTo(SafetensorsDType.F32);
            assertThat(ta.shape()).containsExactly(2, 3);
            assertThat(st.tensorData(ta).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(a);
            assertThat(st.tensor("b").orElseThrow().byteSize()).isZero();
            assertThat(st.tensor("scalar").orElseThrow().shape()).isEmpty();
            assertThat(st.tensorData(st.tensor("streamed").orElseThrow()).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(streamed);
            assertThat(st.dataOffset() % 8).isZero();
        }
    }

    @Test
    void writesTheReferenceLayout() throws IOException {
        Path file = tmp.resolve("layout.safetensors");
        new SafetensorsWriter().putMetadata("format", "pt")
                .addTensor("w", SafetensorsDType.F16, new long[] {2, 2}, MemorySegment.ofArray(bytes(8, 0)))
                .addTensor("b", SafetensorsDType.F32, new long[] {3}, MemorySegment.ofArray(bytes(12, 5)))
                .write(file);
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[8,20]}}";
        assertThat(n % 8).isZero();
        assertThat(header).isEqualTo(json + " ".repeat((int) n - json.length()));
        assertThat(all).hasSize(8 + (int) n + 20);
        assertThat(Arrays.copyOfRange(all, 8 + (int) n + 8, all.length)).isEqualTo(bytes(12, 5));
    }

    @Test
    void readsHandWrittenSpecFiles() throws IOException {
        // pretty-printed JSON, metadata last, tensors listed out of data order, no padding: all allowed by the spec
        String header = "{\n  \"second\": {\"dtype\": \"I32\", \"shape\": [1], \"data_offsets\": [2, 6]},\n"
                + "  \"first\": {\"dtype\": \"U8\", \"shape\": [2], \"data_offsets\": [0, 2]},\n"
                + "  \"__metadata__\": {\"k\": \"v\"}\n}";
        try (SafetensorsFile st = SafetensorsFile.open(raw("hand.safetensors", header, new byte[] {9, 8, 1, 0, 0, 0}))) {
            assertThat(st.tensors()).extracting(SafetensorsTensor::name).containsExactly("second", "first");
            assertThat(st.tensorData(st.tensor("second").orElseThrow()).get(ValueLayout.JAVA_INT_UNALIGNED, 0)).isEqualTo(1);
            assertThat(st.metadata()).containsExactly(Map.entry("k", "v"));
        }
        try (SafetensorsFile empty = SafetensorsFile.open(raw("empty.safetensors", "{}      ", new byte[0]))) {
            assertThat(empty.tensors()).isEmpty();
            assertThat(empty.metadata()).isEmpty();
        }
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Path file) {
        return assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                .isExactlyInstanceOf(SafetensorsException.class)
                .hasMessageStartingWith(file + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private Path one(String name, String tensorJson, int dataBytes) throws IOException {
        return raw(name, "{\"t\":" + tensorJson + "}", new byte[dataBytes]);
    }

    @Test
    void refusesMalformedFramesAndHeaders() throws IOException {
        assertRefused(Files.write(tmp.resolve("short"), new byte[5])).hasMessageEndingWith("not a safetensors file (only 5 bytes long)");
        byte[] huge = new byte[16];
        huge[7] = 0x10;
        assertRefused(Files.write(tmp.resolve("huge"), huge)).hasMessageContaining("header length 1152921504606846976 does not fit");
        assertRefused(raw("notjson", "[1, 2]  ", new byte[0])).hasMessageEndingWith("the header does not start with '{'");
        assertRefused(raw("badjson", "{\"t\": }", new byte[0]))
                .hasMessageEndingWith("the header is not valid JSON: invalid JSON at line 1, column 7: unexpected '}', expected a value");
        assertRefused(raw("dup", "{\"t\":{},\"t\":{}}", new byte[0])).hasMessageContaining("duplicate key \"t\"");
        Path latin1 = tmp.resolve("latin1");
        Files.write(latin1, new byte[] {4, 0, 0, 0, 0, 0, 0, 0, '{', '"', (byte) 0xe9, '"'});
        assertRefused(latin1).hasMessageEndingWith("the header is not valid UTF-8");
        assertRefused(raw("meta", "{\"__metadata__\":{\"n\":1}}", new byte[0]))
                .hasMessageEndingWith("\"__metadata__\" value of \"n\" must be a string, got 1");
    }

    @Test
    void refusesBadTensorEntries() throws IOException {
        assertRefused(one("missing", "{\"dtype\":\"F32\",\"shape\":[1]}", 4))
                .hasMessageContaining("tensor \"t\" must be an object with exactly \"dtype\", \"shape\" and \"data_offsets\"");
        assertRefused(one("dtype", "{\"dtype\":\"F4\",\"shape\":[2],\"data_offsets\":[0,1]}", 1))
                .hasMessageContaining("tensor \"t\" has unsupported dtype \"F4\" (supported: [BOOL, U8,");
        assertRefused(one("negative", "{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}", 4))
                .hasMessageEndingWith("tensor \"t\" shape must hold non-negative integers, got [-1]");
        assertRefused(one("float", "{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}", 4))
                .hasMessageEndingWith("tensor \"t\" shape must hold non-negative integers, got [1.0]");
        assertRefused(one("offsets", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}", 4))
                .hasMessageEndingWith("tensor \"t\" data_offsets must be an array of 2 integers, got [0]");
        assertRefused(one("size", "{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,8]}", 8))
                .hasMessageEndingWith("tensor \"t\" data_offsets [0,8] span 8 bytes, but F32 [2,2] needs 16");
        assertRefused(one("overflow", "{\"dtype\":\"F64\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}", 8))
                .hasMessageEndingWith("tensor \"t\" has an impossible shape [4611686018427387904,4]");
    }

    @Test
    void refusesHolesOverlapsAndWrongDataSize() throws IOException {
        String a = "\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}";
        assertRefused(raw("hole", "{" + a + ",\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[6,8]}}", new byte[8]))
                .hasMessageEndingWith("tensor \"b\" data starts at 6 but tensor \"a\" ends at 4"
                        + " (tensor data must be contiguous, without holes or overlaps)");
        assertRefused(raw("overlap", "{" + a + ",\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}", new byte[6]))
                .hasMessageContaining("tensor \"b\" data starts at 2 but tensor \"a\" ends at 4");
        assertRefused(raw("late", "{\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[4,8]}}", new byte[8]))
                .hasMessageContaining("tensor \"b\" data starts at 4 but the start of the data ends at 0");
        assertRefused(raw("truncated", "{" + a + "}", new byte[3]))
                .hasMessageEndingWith("the tensors cover 4 bytes of data but the file holds 3; the file is truncated");
        assertRefused(raw("trailing", "{" + a + "}", new byte[5]))
                .hasMessageEndingWith("the tensors cover 4 bytes of data but the file holds 5; unexpected bytes at the end");
    }

    @Test
    void writerRefusesInconsistentTensors() {
        SafetensorsWriter w = new SafetensorsWriter();
        assertThatThrownBy(() -> w.addTensor("t", SafetensorsDType.F32, new long[] {2}, MemorySegment.ofArray(new byte[4])))
                .hasMessage("tensor 't' needs 8 bytes of data, got 4");
        assertThatThrownBy(() -> w.addTensor("__metadata__", SafetensorsDType.U8, new long[] {0}, out -> {}))
                .hasMessage("duplicate or reserved tensor name '__metadata__'");
        w.addTensor("t", SafetensorsDType.U8, new long[] {3}, out -> out.write(ByteBuffer.allocate(2)));
        Path file = tmp.resolve("bad.safetensors");
        assertThatThrownBy(() -> w.write(file)).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining("data source of tensor 't' wrote 2 of its 3 bytes");
        assertThat(file).doesNotExist();
        assertThat(Json.parse("{\"x\":1}")).isEqualTo(Map.of("x", 1L)); // the header parser's JSON reads integers as Long
        assertThat(List.of(SafetensorsDType.values())).hasSize(16);
    }
}
