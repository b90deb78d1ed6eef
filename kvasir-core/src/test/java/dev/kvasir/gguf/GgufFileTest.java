package dev.kvasir.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.SharedData;
import dev.kvasir.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir
    Path tmp;

    @Test
    void readsStories260KHeaderMetadataAndTensors() {
        try (GgufFile gguf = GgufFile.open(SharedData.model("stories260K.gguf"))) {
            assertThat(gguf.version()).isEqualTo(3);
            assertThat(gguf.alignment()).isEqualTo(32);
            assertThat(gguf.dataOffset()).isEqualTo(14176); // from an independent Python parse of the header
            GgufMetadata md = gguf.metadata();
            assertThat(md.keys()).hasSize(19).startsWith("tokenizer.ggml.tokens", "tokenizer.ggml.scores")
                    .endsWith("llama.attention.layer_norm_rms_epsilon");
            assertThat(md.getString("general.architecture")).isEqualTo("llama");
            assertThat(md.getInt("llama.embedding_length")).isEqualTo(64);
            assertThat(md.getInt("llama.feed_forward_length")).isEqualTo(172);
            assertThat(md.type("llama.block_count")).isEqualTo(GgufValueType.UINT32);
            assertThat(md.getFloat("llama.attention.layer_norm_rms_epsilon")).isEqualTo(1e-5f);
            assertThat(md.getLong("tokenizer.ggml.seperator_token_id")).isEqualTo(4294967295L);
            String[] tokens = md.getStringArray("tokenizer.ggml.tokens");
            assertThat(tokens).hasSize(512).startsWith("<unk>", "<s>", "</s>");
            assertThat(md.getFloatArray("tokenizer.ggml.scores")).hasSize(512);
            assertThat(md.getIntArray("tokenizer.ggml.token_type")).hasSize(512).startsWith(2, 3, 3);

            assertThat(gguf.tensors()).hasSize(48);
            GgufTensorInfo embd = gguf.tensor("token_embd.weight").orElseThrow();
            assertThat(embd.shape()).containsExactly(64, 512);
            assertThat(embd.type()).isEqualTo(GgmlType.F32);
            assertThat(embd.byteSize()).isEqualTo(64 * 512 * 4);
            MemorySegment data = gguf.tensorData(embd);
            assertThat(data.isReadOnly()).isTrue();
            assertThat(data.byteSize()).isEqualTo(131072);
            assertThat(data.get(F32, 0)).isEqualTo(-0.29474878311157227f);
            assertThat(data.get(F32, 12)).isEqualTo(0.34057360887527466f);
            GgufTensorInfo norm = gguf.tensor("output_norm.weight").orElseThrow();
            assertThat(norm.offset()).isEqualTo(131072);
            assertThat(gguf.tensorData(norm).get(F32, 4)).isEqualTo(1.3673226833343506f);
            assertThat(gguf.tensor("blk.4.ffn_norm.weight").orElseThrow().offset()).isEqualTo(1170944);
            assertThat(gguf.tensor("nope")).isEmpty();
        }
    }

    @Test
    void readsQuantizedAndHalfPrecisionModels() {
        try (GgufFile q4 = GgufFile.open(SharedData.model("tinyllama-v0-q4_0.gguf"))) {
            GgufTensorInfo embd = q4.tensor("token_embd.weight").orElseThrow();
            assertThat(embd.type()).isEqualTo(GgmlType.Q4_0);
            assertThat(q4.tensorData(embd).byteSize()).isEqualTo(64L * 32000 / 32 * 18);
            assertThat(q4.tensors()).hasSize(75);
        }
        try (GgufFile f16 = GgufFile.open(SharedData.model("llama-2-tiny-random-f16.gguf"))) {
            GgufTensorInfo embd = f16.tensor("token_embd.weight").orElseThrow();
            assertThat(embd.type()).isEqualTo(GgmlType.F16);
            // this file leaves a gap after token_embd: offsets are taken from the file, not recomputed
            assertThat(f16.tensor("output_norm.weight").orElseThrow().offset()).isEqualTo(514112);
        }
    }

    @Test
    void opensVocabularyOnlyFilesWithoutTensors() throws IOException {
        Path dir = SharedData.file("tokenizers");
        int opened = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.gguf")) {
            for (Path p : files) {
                try (GgufFile gguf = GgufFile.open(p)) {
                    assertThat(gguf.tensors()).isEmpty();
                    assertThat(gguf.metadata().getStringArray("tokenizer.ggml.tokens")).isNotEmpty();
                    opened++;
                }
            }
        }
        assertThat(opened).isGreaterThanOrEqualTo(4);
    }

    @Test
    void readsEveryValueTypeInVersion2() throws IOException {
        GgufBytes b = GgufBytes.header(2, 0, 15)
                .key("u8", GgufValueType.UINT8).u8(250)
                .key("i8", GgufValueType.INT8).u8(0xff)
                .key("u16", GgufValueType.UINT16).u16(65000)
                .key("i16", GgufValueType.INT16).u16(0x8000)
                .key("u32", GgufValueType.UINT32).u32(4000000000L)
                .key("i32", GgufValueType.INT32).u32(-7)
                .key("u64", GgufValueType.UINT64).u64(-1)
                .key("i64", GgufValueType.INT64).u64(-5_000_000_000L)
                .key("f32", GgufValueType.FLOAT32).f32(1.5f)
                .key("f64", GgufValueType.FLOAT64).f64(-2.25)
                .key("bool", GgufValueType.BOOL).u8(1)
                .key("str", GgufValueType.STRING).str("héllo")
                .key("arr.u16", GgufValueType.ARRAY).u32(GgufValueType.UINT16.id()).u64(2).u16(1).u16(65535)
                .key("arr.nested", GgufValueType.ARRAY).u32(GgufValueType.ARRAY.id()).u64(2)
                        .u32(GgufValueType.STRING.id()).u64(1).str("a")
                        .u32(GgufValueType.BOOL.id()).u64(2).u8(0).u8(1)
                .key("arr.empty", GgufValueType.ARRAY).u32(GgufValueType.FLOAT64.id()).u64(0);
        try (GgufFile gguf = GgufFile.open(b.writeTo(tmp.resolve("types.gguf")))) {
            GgufMetadata md = gguf.metadata();
            assertThat(gguf.version()).isEqualTo(2);
            assertThat(md.keys()).containsExactly("u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "f32", "f64",
                    "bool", "str", "arr.u16", "arr.nested", "arr.empty");
            assertThat(md.raw("u8")).isEqualTo(250);
            assertThat(md.raw("i8")).isEqualTo(-1);
            assertThat(md.raw("u16")).isEqualTo(65000);
            assertThat(md.raw("i16")).isEqualTo(-32768);
            assertThat(md.raw("u32")).isEqualTo(4000000000L);
            assertThat(md.raw("i32")).isEqualTo(-7);
            assertThat(md.raw("u64")).isEqualTo(-1L);
            assertThat(md.raw("i64")).isEqualTo(-5_000_000_000L);
            assertThat(md.getFloat("f32")).isEqualTo(1.5f);
            assertThat(md.raw("f64")).isEqualTo(-2.25);
            assertThat(md.getBool("bool")).isTrue();
            assertThat(md.getString("str")).isEqualTo("héllo");
            assertThat(md.getIntArray("arr.u16")).containsExactly(1, 65535);
            assertThat(md.raw("arr.nested")).isEqualTo(new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                GgufArray.ofStrings("a"), new GgufArray(GgufValueType.BOOL, new boolean[] {false, true})}));
            assertThat(md.getFloatArray("arr.empty")).isEmpty();
            for (String key : md.keys()) {
                assertThat(md.type(key).name()).isEqualTo(key.startsWith("arr") ? "ARRAY" : switch (key) {
                    case "u8" -> "UINT8"; case "i8" -> "INT8"; case "u16" -> "UINT16"; case "i16" -> "INT16";
                    case "u32" -> "UINT32"; case "i32" -> "INT32"; case "u64" -> "UINT64"; case "i64" -> "INT64";
                    case "f32" -> "FLOAT32"; case "f64" -> "FLOAT64"; case "bool" -> "BOOL"; default -> "STRING";
                });
            }
        }
    }

    @Test
    void gettersConvertCheckRangesAndApplyDefaults() throws IOException {
        GgufBytes b = GgufBytes.header(3, 0, 4)
                .key("u32.max", GgufValueType.UINT32).u32(4294967295L)
                .key("u64.huge", GgufValueType.UINT64).u64(-1)
                .key("name", GgufValueType.STRING).str("x")
                .key("i64s", GgufValueType.ARRAY).u32(GgufValueType.INT64.id()).u64(2).u64(5).u64(1L << 40);
        Path file = b.writeTo(tmp.resolve("getters.gguf"));
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufMetadata md = gguf.metadata();
            assertThat(md.getLong("u32.max")).isEqualTo(4294967295L);
            assertThat(md.getFloat("u32.max")).isEqualTo(4294967295f);
            assertThat(md.getInt("absent", -1)).isEqualTo(-1);
            assertThat(md.getString("absent", "d")).isEqualTo("d");
            assertThat(md.getFloat("absent", 0.5f)).isEqualTo(0.5f);
            assertThat(md.getBool("absent", true)).isTrue();
            assertThat(md.type("absent")).isNull();
            assertThat(md.raw("absent")).isNull();
            assertThatThrownBy(() -> md.getInt("u32.max")).isInstanceOf(GgufException.class)
                    .hasMessage(file + ": metadata value 4294967295 of 'u32.max' is out of range");
            assertThatThrownBy(() -> md.getLong("u64.huge"))
                    .hasMessage(file + ": metadata value 18446744073709551615 of 'u64.huge' is out of range");
            assertThatThrownBy(() -> md.getInt("name", 3))
                    .hasMessage(file + ": metadata key 'name' has type STRING, expected an integer");
            assertThatThrownBy(() -> md.getString("u32.max"))
                    .hasMessage(file + ": metadata key 'u32.max' has type UINT32, expected STRING");
            assertThatThrownBy(() -> md.getStringArray("i64s"))
                    .hasMessage(file + ": metadata key 'i64s' has type ARRAY of INT64, expected ARRAY of STRING");
            assertThatThrownBy(() -> md.getIntArray("i64s"))
                    .hasMessage(file + ": metadata value 1099511627776 of 'i64s[1]' is out of range");
            assertThatThrownBy(() -> md.getFloatArray("i64s"))
                    .hasMessage(file + ": metadata key 'i64s' has type ARRAY of INT64, expected an array of floats");
        }
    }

    @Test
    void missingRequiredMetadataNamesFileAndKey() {
        Path file = SharedData.model("stories260K.gguf");
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufMetadata md = gguf.metadata();
            assertThatThrownBy(() -> md.getString("llama.rope.scaling.type")).isInstanceOf(GgufException.class)
                    .hasMessage(file + ": missing required metadata key 'llama.rope.scaling.type'");
            assertThatThrownBy(() -> md.getInt("x")).hasMessageEndingWith("missing required metadata key 'x'");
            assertThatThrownBy(() -> md.getLong("x")).hasMessageEndingWith("missing required metadata key 'x'");
            assertThatThrownBy(() -> md.getFloat("x")).hasMessageEndingWith("missing required metadata key 'x'");
            assertThatThrownBy(() -> md.getBool("x")).hasMessageEndingWith("missing required metadata key 'x'");
            assertThatThrownBy(() -> md.getStringArray("x")).hasMessageEndingWith("missing required metadata key 'x'");
            assertThatThrownBy(() -> md.getIntArray("x")).hasMessageEndingWith("missing required metadata key 'x'");
            assertThatThrownBy(() -> md.getFloatArray("x")).hasMessageEndingWith("missing required metadata key 'x'");
        }
    }

    @Test
    void honoursGeneralAlignment() throws IOException {
        GgufBytes b = GgufBytes.header(3, 2, 1)
                .key("general.alignment", GgufValueType.UINT32).u32(64)
                .tensor("a", GgmlType.F32.id(), 0, 3)
                .tensor("b", GgmlType.F32.id(), 64, 2)
                .pad(64);
        int dataStart = b.size();
        b.f32(1).f32(2).f32(3).pad(64).f32(4).f32(5);
        try (GgufFile gguf = GgufFile.open(b.writeTo(tmp.resolve("aligned.gguf")))) {
            assertThat(gguf.alignment()).isEqualTo(64);
            assertThat(gguf.dataOffset()).isEqualTo(dataStart);
            MemorySegment bData = gguf.tensorData(gguf.tensor("b").orElseThrow());
            assertThat(bData.get(F32, 0)).isEqualTo(4f);
            assertThat(bData.get(F32, 4)).isEqualTo(5f);
        }
    }

    @Test
    void tensorDataIsUnavailableAfterClose() {
        GgufFile gguf = GgufFile.open(SharedData.model("stories260K.gguf"));
        MemorySegment data = gguf.tensorData(gguf.tensors().getFirst());
        gguf.close();
        gguf.close(); // idempotent
        assertThatThrownBy(() -> data.get(F32, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void mapsAndReadsTensorsBeyondTwoGibibytesInASparseFile() throws IOException {
        long big = (1L << 31) + 4096; // a 2 GiB + 4 KiB tensor: the second tensor starts past the 2 GiB mark
        GgufBytes header = GgufBytes.header(3, 2, 0)
                .tensor("big", GgmlType.I8.id(), 0, big)
                .tensor("tail", GgmlType.F32.id(), big, 2)
                .pad(32);
        Path file = header.writeTo(tmp.resolve("sparse.gguf"));
        long tailAt = header.size() + big;
        try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(tailAt + 8); // sparse: the 2 GiB of zeros take no disk space
            raf.seek(tailAt);
            raf.write(new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, (byte) 0xc0}); // 1.0f, -2.0f little-endian
        }
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufTensorInfo tail = gguf.tensor("tail").orElseThrow();
            MemorySegment data = gguf.tensorData(tail);
            assertThat(data.get(F32, 0)).isEqualTo(1f);
            assertThat(data.get(F32, 4)).isEqualTo(-2f);
            MemorySegment bigData = gguf.tensorData(gguf.tensor("big").orElseThrow());
            assertThat(bigData.byteSize()).isEqualTo(big);
            assertThat(bigData.get(ValueLayout.JAVA_BYTE, big - 1)).isZero();
        }
    }
}
