package dev.kvasir.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The .kvc format: round trips, append-only checkpoints, corruption handling, refusals. */
class KvcFileTest {
    static final KvLayout LAYOUT = new KvLayout(2, 2, 8);
    static final ModelIdentity MODEL = new ModelIdentity("fp-aaaa", "llama", LAYOUT, 10000f, "norm");

    @TempDir
    Path dir;

    static List<CacheOptions> kinds() {
        return List.of(CacheOptions.full(), CacheOptions.full(GgmlType.F32), CacheOptions.rotating(100, 4),
                CacheOptions.rotating(64, 0, GgmlType.F32), CacheOptions.quantized(8, 16),
                CacheOptions.quantized(4, 8, 10, GgmlType.F32));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void roundTripIsBitExactAndContinuesExactly(CacheOptions options) {
        Path file = dir.resolve("a.kvc");
        PromptCache pc = PromptCache.create(MODEL, options);
        pc.putMetadata("prompt", "Once upon a time ✓");
        SyntheticKv.fill(pc, 1, 350, 37);
        pc.save(file);
        SyntheticKv.fill(pc, 1, 420, 5);
        pc.putMetadata("model", "stories");
        pc.save(file);

        PromptCache loaded = PromptCache.load(file, MODEL);
        // rotating(64): 64 + 70 rows exceed twice the window, so the second save compacted the file
        int checkpoints = options.maxSize() == 64 ? 1 : 2;
        assertThat(loaded.loadReport()).isEqualTo(new LoadReport(checkpoints, 420, 0, null));
        assertThat(loaded.tokens()).containsExactly(SyntheticKv.tokens(0, 420));
        assertThat(loaded.metadata()).containsExactly(
                java.util.Map.entry("prompt", "Once upon a time ✓"), java.util.Map.entry("model", "stories"));
        assertThat(loaded.options()).isEqualTo(options);
        CacheContent.assertSame(loaded.cache(), pc.cache());

        // continuing (a rotating cache is mid-rotation here) gives identical attention outputs
        KvFixture f = new KvFixture(LAYOUT, 4, 500, 2);
        float[][] expected = f.run(pc.cache(), 420, 500, 1, 30, 7);
        float[][] actual = f.run(loaded.cache(), 420, 500, 1, 30, 7);
        for (int l = 0; l < LAYOUT.layers(); l++) {
            assertThat(actual[l]).containsExactly(expected[l]);
        }
    }

    @Test
    void checkpointOf16TokensOnA2000TokenCacheWritesOnly16TokensOfData() throws IOException {
        Path file = dir.resolve("big.kvc");
        PromptCache pc = PromptCache.create(MODEL, CacheOptions.full());
        SyntheticKv.fill(pc, 3, 2000, 256);
        long first = pc.save(file);
        assertThat(first).isEqualTo(Files.size(file)).isGreaterThan(2000L * 2 * 2 * LAYOUT.kvDim() * 2);

        SyntheticKv.fill(pc, 3, 2016, 16);
        long written = pc.save(file);
        long kv = 2L * LAYOUT.layers() * 16 * LAYOUT.kvDim() * 2; // K and V, 2 layers, 16 tokens, F16
        long framing = 16 + 4 + 4 + 16 * 4 + 4 + 4 + 8 + 4; // record head, start, count, ids, metadata, segments, crc
        assertThat(written).isEqualTo(kv + framing);
        assertThat(Files.size(file)).isEqualTo(first + written);
        CacheContent.assertSame(PromptCache.load(file, MODEL).cache(), pc.cache());
    }

    @Test
    void byteFlipsAnywhereAreDetected() throws IOException {
        Fixture x = multiCheckpointFile();
        Random random = new Random(11);
        for (int trial = 0; trial < 150; trial++) {
            byte[] bytes = x.bytes.clone();
            int at = trial < 20 ? random.nextInt(x.headerEnd) : random.nextInt(bytes.length);
            bytes[at] ^= (byte) (1 + random.nextInt(255));
            Files.write(x.file, bytes);
            if (at < x.headerEnd) {
                assertThatThrownBy(() -> PromptCache.load(x.file, MODEL)).isInstanceOf(KvasirException.class)
                        .hasMessageStartingWith(x.file.toString());
                continue;
            }
            int record = x.recordAt(at);
            PromptCache loaded = PromptCache.load(x.file, MODEL);
            assertThat(loaded.loadReport().checkpoints()).as("flip at %d", at).isEqualTo(record);
            assertThat(loaded.loadReport().intact()).isFalse();
            assertThat(loaded.loadReport().ignoredBytes()).isEqualTo(bytes.length - x.ends.get(record));
            x.assertMatches(loaded, record);
        }
    }

    @Test
    void truncationsAnywhereLoadTheLastCompleteCheckpoint() throws IOException {
        Fixture x = multiCheckpointFile();
        Random random = new Random(12);
        for (int trial = 0; trial < 120; trial++) {
            int length = trial < 10 ? random.nextInt(x.headerEnd) : trial < 15 ? x.ends.get(trial - 10).intValue()
                    : random.nextInt(x.bytes.length + 1);
            Files.write(x.file, java.util.Arrays.copyOf(x.bytes, length));
            if (length < x.headerEnd) {
                assertThatThrownBy(() -> PromptCache.load(x.file, MODEL)).isInstanceOf(KvasirException.class);
                continue;
            }
            int complete = 0;
            while (complete + 1 < x.ends.size() && x.ends.get(complete + 1) <= length) {
                complete++;
            }
            PromptCache loaded = PromptCache.load(x.file, MODEL);
            assertThat(loaded.loadReport().checkpoints()).isEqualTo(complete);
            assertThat(loaded.loadReport().intact()).isEqualTo(length == x.ends.get(complete));
            x.assertMatches(loaded, complete);
        }
    }

    @Test
    void savingAfterATornTailCutsItOff() throws IOException {
        Fixture x = multiCheckpointFile();
        Files.write(x.file, java.util.Arrays.copyOf(x.bytes, x.ends.get(2).intValue() + 100));
        PromptCache loaded = PromptCache.load(x.file, MODEL);
        assertThat(loaded.loadReport().problem()).contains("truncated");
        SyntheticKv.fill(loaded, 5, loaded.size() + 9, 4);
        loaded.save(x.file);
        PromptCache again = PromptCache.load(x.file, MODEL);
        assertThat(again.loadReport().intact()).isTrue();
        assertThat(again.loadReport().checkpoints()).isEqualTo(3);
        CacheContent.assertSame(again.cache(), loaded.cache());
    }

    @Test
    void foreignCachesAreRefused() throws IOException {
        Path file = dir.resolve("f.kvc");
        PromptCache pc = PromptCache.create(MODEL, CacheOptions.full());
        SyntheticKv.fill(pc, 1, 10, 10);
        pc.save(file);
        assertThatThrownBy(() -> PromptCache.load(file, new ModelIdentity("fp-bbbb", "llama", LAYOUT, 10000f, "norm")))
                .isInstanceOf(KvasirException.class).hasMessageContaining("fp-aaaa").hasMessageContaining("fp-bbbb");
        assertThatThrownBy(() -> PromptCache.load(file, new ModelIdentity("fp-aaaa", "llama", new KvLayout(2, 4, 8), 10000f, "norm")))
                .isInstanceOf(KvasirException.class).hasMessageContaining("2 layers x 2 KV heads").hasMessageContaining("2 layers x 4 KV heads");
        assertThatThrownBy(() -> PromptCache.load(file, new ModelIdentity("fp-aaaa", "llama", LAYOUT, 500000f, "norm")))
                .isInstanceOf(KvasirException.class).hasMessageContaining("RoPE");

        byte[] bytes = Files.readAllBytes(file);
        bytes[8] = 3; // format version 3
        Files.write(file, bytes);
        assertThatThrownBy(() -> PromptCache.load(file, MODEL)).isInstanceOf(KvasirException.class)
                .hasMessageContaining("version 3 is newer");

        Files.writeString(file, "GGUF not a cache at all");
        assertThatThrownBy(() -> PromptCache.load(file, MODEL)).isInstanceOf(KvasirException.class)
                .hasMessageContaining("not a Kvasir cache file");
        assertThatThrownBy(() -> PromptCache.load(dir.resolve("missing.kvc"), MODEL)).isInstanceOf(KvasirException.class)
                .hasMessageContaining("no such");
    }

    @Test
    void trimBelowTheFileRewritesItAndCompactMakesOneCheckpoint() throws IOException {
        Path file = dir.resolve("t.kvc");
        PromptCache pc = PromptCache.create(MODEL, CacheOptions.full());
        SyntheticKv.fill(pc, 1, 300, 50);
        pc.save(file);
        SyntheticKv.fill(pc, 1, 320, 20);
        pc.save(file);
        assertThat(pc.trim(40)).isEqualTo(40);
        SyntheticKv.fill(pc, 9, 290, 10); // different content after the trim point
        long written = pc.save(file);
        assertThat(written).isEqualTo(Files.size(file));
        PromptCache loaded = PromptCache.load(file, MODEL);
        assertThat(loaded.loadReport().checkpoints()).isEqualTo(1);
        CacheContent.assertSame(loaded.cache(), pc.cache());

        SyntheticKv.fill(loaded, 9, 300, 5);
        loaded.save(file);
        loaded.save(file); // nothing new: an empty checkpoint
        assertThat(PromptCache.load(file, MODEL).loadReport().checkpoints()).isEqualTo(3);
        loaded.compact();
        PromptCache compacted = PromptCache.load(file, MODEL);
        assertThat(compacted.loadReport().checkpoints()).isEqualTo(1);
        CacheContent.assertSame(compacted.cache(), loaded.cache());
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temp files left behind
        }
    }

    @Test
    void rotatingFilesAreCompactedOnceTheyHoldTwiceTheWindow() throws IOException {
        Path file = dir.resolve("r.kvc");
        PromptCache pc = PromptCache.create(MODEL, CacheOptions.rotating(50, 2));
        long maxFile = 0;
        for (int end = 30; end <= 600; end += 30) {
            SyntheticKv.fill(pc, 4, end, 7);
            pc.save(file);
            maxFile = Math.max(maxFile, Files.size(file));
        }
        long perRow = 2L * LAYOUT.layers() * LAYOUT.kvDim() * 2;
        assertThat(maxFile).isLessThan(2 * 50 * perRow + 600 * 4 + 60 * 100 + 1000);
        PromptCache loaded = PromptCache.load(file, MODEL);
        assertThat(loaded.tokens()).containsExactly(SyntheticKv.tokens(0, 600));
        CacheContent.assertSame(loaded.cache(), pc.cache());
    }

    /** A file with a header and four checkpoints, plus the reference cache after each. */
    record Fixture(Path file, byte[] bytes, int headerEnd, List<Long> ends, List<PromptCache> states) {
        int recordAt(long offset) {
            int r = 0;
            while (ends.get(r + 1) <= offset) {
                r++;
            }
            return r;
        }

        void assertMatches(PromptCache loaded, int checkpoints) {
            PromptCache expected = states.get(checkpoints);
            assertThat(loaded.tokens()).containsExactly(expected.tokens());
            assertThat(loaded.metadata()).isEqualTo(expected.metadata());
            CacheContent.assertSame(loaded.cache(), expected.cache());
        }
    }

    private Fixture multiCheckpointFile() throws IOException {
        Path file = dir.resolve("m.kvc");
        PromptCache pc = PromptCache.create(MODEL, CacheOptions.quantized(4, 8, 20, GgmlType.F16));
        List<Long> ends = new ArrayList<>();
        List<PromptCache> states = new ArrayList<>();
        int[] targets = {0, 30, 31, 90, 140};
        for (int i = 0; i < targets.length; i++) {
            SyntheticKv.fill(pc, 6, targets[i], 7);
            pc.putMetadata("step", Integer.toString(i));
            pc.save(file);
            ends.add(Files.size(file));
            states.add(pc.fork());
        }
        // the first save wrote the header (with metadata step=0) and an empty checkpoint, so a file cut
        // right after the header loads as state 0 with zero checkpoints
        byte[] bytes = Files.readAllBytes(file);
        int headerEnd = 16 + java.nio.ByteBuffer.wrap(bytes, 12, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() + 4;
        List<Long> recordEnds = new ArrayList<>();
        recordEnds.add((long) headerEnd);
        recordEnds.addAll(ends);
        List<PromptCache> byCheckpoints = new ArrayList<>();
        byCheckpoints.add(states.getFirst());
        byCheckpoints.addAll(states);
        return new Fixture(file, bytes, headerEnd, recordEnds, byCheckpoints);
    }
}
