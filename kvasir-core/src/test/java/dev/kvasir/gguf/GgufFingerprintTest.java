package dev.kvasir.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFingerprintTest {
    @TempDir
    Path tmp;

    private static String fingerprint(Path file) {
        try (GgufFile gguf = GgufFile.open(file)) {
            return gguf.fingerprint();
        }
    }

    /** A copy of stories260K with {@code length} bytes changed at {@code offset} within tensor {@code tensor}. */
    private Path withTensorBytesFlipped(Path original, String tensor, long offset, int length) throws IOException {
        byte[] bytes = Files.readAllBytes(original);
        long at;
        try (GgufFile gguf = GgufFile.open(original)) {
            at = gguf.dataOffset() + gguf.tensor(tensor).orElseThrow().offset() + offset;
        }
        for (int i = 0; i < length; i++) {
            bytes[(int) at + i] ^= 0x01; // a tiny change of the low mantissa bit, like a fine-tune's nudge
        }
        return Files.write(tmp.resolve(tensor + "@" + offset + ".gguf"), bytes);
    }

    @Test
    void isStableForTheSameContent() {
        Path stories = SharedData.model("stories260K.gguf");
        String f = fingerprint(stories);
        assertThat(f).matches("[0-9a-f]{32}");
        // pinned: caches on disk store this value, so the algorithm must not change silently (bump its tag instead)
        assertThat(f).isEqualTo(GOLDEN_STORIES);
        Path copy = tmp.resolve("copy.gguf");
        try (GgufFile in = GgufFile.open(stories)) {
            GgufWriter.copyOf(in).write(copy);
        }
        assertThat(fingerprint(copy)).isEqualTo(f);
        assertThat(fingerprint(SharedData.model("tinyllama-v0-q4_0.gguf"))).isNotEqualTo(f);
    }

    private static final String GOLDEN_STORIES = "c4f879ad9170e6b1327fcd26aca0e166"; // also computed by a Python re-implementation of the javadoc

    @Test
    void changesWhenOneValueInTheMiddleOfASampledTensorChanges() throws IOException {
        Path stories = SharedData.model("stories260K.gguf");
        // token_embd (128 KiB) is larger than the fully hashed limit, so this goes through the sampling path
        Path changed = withTensorBytesFlipped(stories, "token_embd.weight", 64 * 1024, 1);
        assertThat(fingerprint(changed)).isNotEqualTo(fingerprint(stories));
    }

    @Test
    void changesWhenOnlyOneEmbeddingRowOutsideTheWindowsChanges() throws IOException {
        Path stories = SharedData.model("stories260K.gguf");
        // row 300 (bytes 76800..77055) lies between two of the evenly spread windows; only the row sample sees it
        Path changed = withTensorBytesFlipped(stories, "token_embd.weight", 300 * 256, 256);
        assertThat(fingerprint(changed)).isNotEqualTo(fingerprint(stories));
    }

    @Test
    void changesWhenASmallTensorChangesAnywhere() throws IOException {
        Path stories = SharedData.model("stories260K.gguf");
        Path changed = withTensorBytesFlipped(stories, "blk.3.attn_norm.weight", 252, 1);
        assertThat(fingerprint(changed)).isNotEqualTo(fingerprint(stories));
    }

    @Test
    void changesWhenMetadataChanges() {
        Path stories = SharedData.model("stories260K.gguf");
        Path renamed = tmp.resolve("renamed.gguf");
        try (GgufFile in = GgufFile.open(stories)) {
            GgufWriter.copyOf(in).putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-6f).write(renamed);
        }
        assertThat(fingerprint(renamed)).isNotEqualTo(fingerprint(stories));
    }
}
