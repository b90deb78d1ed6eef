package dev.kvasir.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.SharedData;
import dev.kvasir.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gives a one-line GgufException that names the file and the problem. */
class GgufValidationTest {
    @TempDir
    Path tmp;

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Path file) {
        return assertThatThrownBy(() -> GgufFile.open(file).close())
                .isExactlyInstanceOf(GgufException.class)
                .hasMessageStartingWith(file + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    private Path stories() {
        return SharedData.model("stories260K.gguf");
    }

    private Path truncatedStories(String name, int length) throws IOException {
        return write(name, Arrays.copyOf(Files.readAllBytes(stories()), length));
    }

    @Test
    void refusesNonGgufFiles() throws IOException {
        assertRefused(write("text.gguf", "hello world, not a model".getBytes()))
                .hasMessageEndingWith("not a GGUF file (starts with bytes 68656c6c, expected \"GGUF\")");
        assertRefused(write("empty.gguf", new byte[0])).hasMessageEndingWith("not a GGUF file (only 0 bytes long)");
        assertRefused(write("short.gguf", "GG".getBytes())).hasMessageEndingWith("not a GGUF file (only 2 bytes long)");
        assertRefused(write("ggjt.bin", "tjgg\3\0\0\0".getBytes())).hasMessageContaining("legacy GGML/GGJT model file");
    }

    @Test
    void missingFileAndDirectoryAreOneLineErrors() {
        Path missing = tmp.resolve("missing.gguf");
        assertRefused(missing).hasMessage(missing + ": no such file");
        assertRefused(tmp).hasMessageContaining("cannot read the file");
    }

    @Test
    void refusesGgufVersion1WithAdvice() {
        Path v1 = SharedData.model("stories260K-gguf-v1.gguf");
        assertRefused(v1).hasMessage(v1 + ": GGUF version 1 is not supported (only versions 2 and 3); "
                + "re-convert the model with a current llama.cpp");
    }

    @Test
    void refusesUnknownVersionsAndBigEndianFiles() throws IOException {
        byte[] bytes = Files.readAllBytes(stories());
        bytes[4] = 0;
        bytes[7] = 3; // the version as a big-endian uint32, as a big-endian GGUF has it
        assertRefused(write("be.gguf", bytes)).hasMessageContaining("big-endian GGUF file (version 3)");
        bytes[4] = 9;
        bytes[7] = 0;
        assertRefused(write("v9.gguf", bytes)).hasMessageEndingWith("unsupported GGUF version 9 (only versions 2 and 3)");
    }

    @Test
    void truncatedHeaderSaysWhereAndWhat() throws IOException {
        Path cut = truncatedStories("cut-header.gguf", 5000); // inside the tokens array
        assertRefused(cut).hasMessageContaining("truncated file: length of element of 'tokenizer.ggml.tokens' at offset 4996 needs 8 bytes but only 4 remain");
        assertRefused(truncatedStories("cut-counts.gguf", 12)).hasMessageContaining("truncated file: tensor count at offset 8");
        assertRefused(truncatedStories("cut-infos.gguf", 14000)).hasMessageContaining(
                "truncated or corrupt file: length of name of tensor #45 is 21 at offset 13979, more than the remaining 13 bytes can hold");
    }

    @Test
    void truncatedDataNamesTheTensor() throws IOException {
        Path cut = truncatedStories("cut-data.gguf", 1_180_000);
        assertRefused(cut).hasMessage(cut + ": tensor 'blk.4.ffn_up.weight' data (44032 bytes at file offset 1141088)"
                + " extends beyond the end of the file (1180000 bytes); the file is truncated, download or convert it again");
    }

    @Test
    void refusesRowsThatAreNotWholeBlocks() {
        Path flat = SharedData.model("stories260K-q8_0-flatblocks.gguf");
        assertRefused(flat).hasMessage(flat + ": tensor 'blk.0.ffn_down.weight' has row length 172, not a multiple of the"
                + " Q8_0 block size 32 (llama.cpp refuses it too); re-quantize the model with a current llama.cpp");
    }

    @Test
    void refusesUnknownTensorTypeNamingIdAndTensor() throws IOException {
        Path file = GgufBytes.header(3, 1, 0).tensor("blk.0.weird.weight", 99, 0, 32).pad(32).zeros(128)
                .writeTo(tmp.resolve("type99.gguf"));
        assertRefused(file).hasMessage(file + ": tensor 'blk.0.weird.weight' has unknown ggml type id 99;"
                + " the model needs a newer Kvasir or the file is corrupt");
    }

    @Test
    void absurdCountsAndLengthsFailWithoutAllocating() throws IOException {
        assertRefused(GgufBytes.header(3, 0, 1).u64(Long.MAX_VALUE / 2).zeros(16).writeTo(tmp.resolve("key.gguf")))
                .hasMessageContaining("truncated or corrupt file: length of metadata key #0 is 4611686018427387903 at offset 24");
        assertRefused(GgufBytes.header(3, 0, 1).key("s", GgufValueType.STRING).u64(1L << 40)
                .writeTo(tmp.resolve("str.gguf"))).hasMessageContaining("length of value of 's' is 1099511627776");
        assertRefused(GgufBytes.header(3, 0, 1).key("a", GgufValueType.ARRAY).u32(GgufValueType.INT64.id())
                .u64(100_000_000).writeTo(tmp.resolve("arr.gguf")))
                .hasMessageContaining("length of array 'a' is 100000000");
        assertRefused(GgufBytes.header(3, 0, -1).writeTo(tmp.resolve("kv.gguf")))
                .hasMessageContaining("metadata count is 18446744073709551615");
        assertRefused(GgufBytes.header(3, 1L << 33, 0).writeTo(tmp.resolve("tensors.gguf")))
                .hasMessageContaining("tensor count is 8589934592");
        GgufBytes deep = GgufBytes.header(3, 0, 1).key("deep", GgufValueType.ARRAY);
        for (int i = 0; i < 20; i++) {
            deep.u32(GgufValueType.ARRAY.id()).u64(1);
        }
        assertRefused(deep.zeros(64).writeTo(tmp.resolve("deep.gguf"))).hasMessageContaining("nests arrays more than 8 deep");
    }

    @Test
    void refusesCorruptMetadata() throws IOException {
        assertRefused(GgufBytes.header(3, 0, 1).str("k").u32(13).u64(0).writeTo(tmp.resolve("vt.gguf")))
                .hasMessageEndingWith("metadata 'k' has unknown value type id 13");
        assertRefused(GgufBytes.header(3, 0, 1).key("a", GgufValueType.ARRAY).u32(77).u64(0).writeTo(tmp.resolve("et.gguf")))
                .hasMessageEndingWith("array 'a' has unknown element type id 77");
        assertRefused(GgufBytes.header(3, 0, 2).key("k", GgufValueType.UINT8).u8(1).key("k", GgufValueType.UINT8).u8(2)
                .writeTo(tmp.resolve("dup.gguf"))).hasMessageEndingWith("duplicate metadata key 'k'");
        assertRefused(GgufBytes.header(3, 0, 1).key("b", GgufValueType.BOOL).u8(7).writeTo(tmp.resolve("bool.gguf")))
                .hasMessageEndingWith("value of 'b' is a BOOL with byte 7 (must be 0 or 1)");
        assertRefused(GgufBytes.header(3, 0, 1).key("general.alignment", GgufValueType.UINT32).u32(24)
                .writeTo(tmp.resolve("align.gguf")))
                .hasMessageEndingWith("general.alignment is 24, must be a positive power of two");
        assertRefused(GgufBytes.header(3, 0, 1).key("general.alignment", GgufValueType.STRING).str("32")
                .writeTo(tmp.resolve("align-type.gguf")))
                .hasMessageEndingWith("metadata key 'general.alignment' has type STRING, expected an integer");
    }

    @Test
    void refusesCorruptTensorInfos() throws IOException {
        int f32 = GgmlType.F32.id();
        assertRefused(GgufBytes.header(3, 1, 0).tensor("t", f32, 0, 1, 1, 1, 1, 1).pad(32).zeros(32)
                .writeTo(tmp.resolve("rank.gguf"))).hasMessageEndingWith("tensor 't' has 5 dimensions (at most 4)");
        assertRefused(GgufBytes.header(3, 1, 0).tensor("t", f32, 0, 1L << 40, 1L << 40).pad(32)
                .writeTo(tmp.resolve("shape.gguf"))).hasMessageEndingWith("tensor 't' has an impossible shape [1099511627776, 1099511627776]");
        assertRefused(GgufBytes.header(3, 1, 0).tensor("t", f32, 16, 4).pad(32).zeros(64)
                .writeTo(tmp.resolve("offset.gguf")))
                .hasMessageEndingWith("tensor 't' has data offset 16, which is not a multiple of the alignment 32");
        assertRefused(GgufBytes.header(3, 2, 0).tensor("t", f32, 0, 4).tensor("t", f32, 32, 4).pad(32).zeros(64)
                .writeTo(tmp.resolve("dupt.gguf"))).hasMessageEndingWith("duplicate tensor name 't'");
        assertRefused(GgufBytes.header(3, 2, 0).tensor("a", f32, 0, 16).tensor("b", f32, 32, 4).pad(32).zeros(96)
                .writeTo(tmp.resolve("overlap.gguf"))).hasMessageEndingWith("the data of tensors 'a' and 'b' overlap");
        assertRefused(GgufBytes.header(3, 1, 0).tensor("far", f32, 1L << 62, 4).pad(32).zeros(32)
                .writeTo(tmp.resolve("far.gguf"))).hasMessageContaining("tensor 'far' data (16 bytes at file offset")
                .hasMessageContaining("extends beyond the end of the file (96 bytes)");
    }

    @Test
    void aMetadataCountTooSmallIsNamedAsSuchNotAsATensorWithManyDimensions() throws IOException {
        byte[] bytes = Files.readAllBytes(stories());
        bytes[16] = 0; // the metadata count (uint64 at offset 16) of a real model, now 0
        for (int i = 17; i < 24; i++) {
            bytes[i] = 0;
        }
        assertRefused(write("count0.gguf", bytes)).hasMessageContaining("the metadata count is 0 but more keys follow")
                .hasMessageContaining("'tokenizer.ggml.tokens' of type ARRAY").hasMessageNotContaining("dimensions");
        Path arrays = GgufBytes.header(3, 1, 1).key("general.name", GgufValueType.STRING).str("x")
                .key("tokenizer.ggml.scores", GgufValueType.ARRAY).u32(GgufValueType.FLOAT32.id()).u64(0)
                .tensor("t", GgmlType.F32.id(), 0, 4).pad(32).zeros(32).writeTo(tmp.resolve("count1.gguf"));
        assertRefused(arrays).hasMessageContaining("the metadata count is 1 but more keys follow")
                .hasMessageContaining("'tokenizer.ggml.scores' of type ARRAY").hasMessageNotContaining("9 dimensions");
    }

    @Test
    void anArrayLengthOfZeroBeforeItsElementsIsNamedAsSuch() throws IOException {
        byte[] bytes = Files.readAllBytes(stories());
        // tokenizer.ggml.tokens, the first key: its uint64 length follows the key (8 + 21 bytes), type and element type
        int length = 24 + 8 + 21 + 4 + 4;
        assertThat(java.nio.ByteBuffer.wrap(bytes, length, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(512);
        Arrays.fill(bytes, length, length + 8, (byte) 0);
        assertRefused(write("array0.gguf", bytes)).hasMessageContaining("'tokenizer.ggml.tokens'")
                .hasMessageContaining("length").hasMessageNotContaining("dimensions");
    }

    @Test
    void anEmptyArrayIsValid() throws IOException {
        Path empty = GgufBytes.header(3, 1, 1).key("tokenizer.ggml.merges", GgufValueType.ARRAY)
                .u32(GgufValueType.STRING.id()).u64(0).tensor("t", GgmlType.F32.id(), 0, 4).pad(32).zeros(32)
                .writeTo(tmp.resolve("empty-array.gguf"));
        try (GgufFile f = GgufFile.open(empty)) {
            assertThat(f.metadata().getStringArray("tokenizer.ggml.merges")).isEmpty();
            assertThat(f.tensors()).hasSize(1);
        }
    }
}
