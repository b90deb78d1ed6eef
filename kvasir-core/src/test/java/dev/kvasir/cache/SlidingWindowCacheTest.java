package dev.kvasir.cache;

import static dev.kvasir.cache.FullKvCacheTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.tensor.GgmlType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Layers with a sliding window (Gemma 2/3's local layers): query {@code q} sees key {@code p} iff
 * {@code q - W < p <= q} (llama.cpp's is_masked_swa, standard type). A full cache keeps every position
 * and masks; a windowed cache keeps only the window on those layers; both attend identically, and
 * both survive a .kvc save/load exactly.
 */
class SlidingWindowCacheTest {
    private static final int W = 24;
    static final KvLayout LAYOUT = new KvLayout(3, 2, 8,
            List.of(new LayerKind.Sliding(W), LayerKind.FULL, new LayerKind.Sliding(W)));
    static final ModelIdentity MODEL = new ModelIdentity("fp-gemma", "gemma3", LAYOUT, 1_000_000f, "neox");
    private static final int T = 300;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16"})
    void fullCacheMasksSlidingLayersToTheLastWPositions(GgmlType type) {
        KvFixture f = new KvFixture(LAYOUT, 4, T, 5);
        KvCache cache = new FullKvCache(LAYOUT, type);
        int pos = 0;
        int[] batches = {1, 40, 3, 100, 1, 1, 17};
        for (int b = 0; pos < T; b++) {
            int n = Math.min(batches[b % batches.length], T - pos);
            float[][] out = f.step(cache, pos, n);
            for (int l = 0; l < LAYOUT.layers(); l++) {
                float[] expected = AttentionOracle.attend(LAYOUT, f.k[l], f.v[l], f.queries(l, pos, n), n, f.heads, pos,
                        0, LAYOUT.window(l), type == GgmlType.F16 ? AttentionOracle::f16 : x -> x);
                assertClose(out[l], expected, type == GgmlType.F16 ? FullKvCacheTest.F16_ARITHMETIC_TOLERANCE : 2e-5);
            }
            pos += n;
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16"})
    void windowedCacheAttendsBitForBitLikeTheFullOneAndHoldsLess(GgmlType type) {
        KvFixture f = new KvFixture(LAYOUT, 4, T, 6);
        KvCache full = new FullKvCache(LAYOUT, type);
        RotatingKvCache windowed = RotatingKvCache.windowed(LAYOUT, type);
        float[][] expected = f.run(full, 0, T, 1, 50, 7, 1, 1, 90);
        float[][] actual = f.run(windowed, 0, T, 30, 1, 1, 2, 200);
        for (int l = 0; l < LAYOUT.layers(); l++) {
            assertThat(actual[l]).as("layer %d", l).containsExactly(expected[l]);
        }
        assertThat(windowed.windowStart(0)).isEqualTo(T - W);
        assertThat(windowed.windowStart(1)).isEqualTo(Integer.MAX_VALUE); // full layer: everything pinned
        assertThat(windowed.bytes()).isLessThan(full.bytes());
        assertThat(windowed.evicted()).isEqualTo(T - W);
    }

    @Test
    void aFullCacheTrimsPastTheWindowExactlyAWindowedOneSaysWhyNot() {
        KvFixture f = new KvFixture(LAYOUT, 4, T, 7);
        PromptCache full = PromptCache.create(MODEL, CacheOptions.full());
        PromptCache windowed = PromptCache.create(MODEL, CacheOptions.windowed(GgmlType.F16));
        for (PromptCache pc : List.of(full, windowed)) {
            f.run(pc.cache(), 0, 200, 64);
            pc.accepted(SyntheticKv.tokens(0, 200));
        }
        // back 150 positions (far more than W = 24), then on again: as if the trimmed part never happened
        assertThat(full.trim(150)).isEqualTo(150);
        float[][] again = f.run(full.cache(), 50, T, 13);
        KvCache fresh = new FullKvCache(LAYOUT);
        f.run(fresh, 0, 50, 50);
        float[][] uninterrupted = f.run(fresh, 50, T, 13);
        for (int l = 0; l < LAYOUT.layers(); l++) {
            assertThat(again[l]).containsExactly(uninterrupted[l]);
        }

        assertThat(windowed.canTrim(150)).isFalse();
        assertThat(windowed.trim(150)).isZero();
        assertThat(windowed.whyNotTrim(150)).isEqualTo("its sliding-window layers keep only their last 24 positions,"
                + " so positions before 176 are gone; use a full cache (--cache-kind full) to trim, fork or reuse prefixes");
        assertThat(windowed.reuse(SyntheticKv.tokens(0, 60))).isZero(); // prefix reuse falls back to recomputing
        assertThat(full.whyNotTrim(10)).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = CacheOptions.Kind.class, names = {"FULL", "WINDOWED", "QUANTIZED"})
    void savedCacheRecordsLayerKindsAndContinuesExactly(CacheOptions.Kind kind) throws IOException {
        CacheOptions options = switch (kind) {
            case FULL -> CacheOptions.full();
            case WINDOWED -> CacheOptions.windowed(GgmlType.F16);
            default -> CacheOptions.quantized(8, 8);
        };
        KvFixture f = new KvFixture(LAYOUT, 4, T, 8);
        Path file = dir.resolve("gemma.kvc");
        PromptCache pc = PromptCache.create(MODEL, options);
        f.run(pc.cache(), 0, 150, 33);
        pc.accepted(SyntheticKv.tokens(0, 150));
        pc.save(file);
        f.run(pc.cache(), 150, 170, 1);
        pc.accepted(SyntheticKv.tokens(150, 170));
        pc.save(file); // an appended checkpoint

        assertThat(version(file)).isEqualTo(2);
        KvcHeader header = PromptCache.readHeader(file);
        assertThat(header.model().layout()).isEqualTo(LAYOUT);
        assertThat(header.options()).isEqualTo(options);
        PromptCache loaded = PromptCache.load(file, MODEL);
        assertThat(loaded.loadReport()).isEqualTo(new LoadReport(2, 170, 0, null));
        float[][] expected = f.run(pc.cache(), 170, T, 1, 9, 64);
        float[][] actual = f.run(loaded.cache(), 170, T, 1, 9, 64);
        for (int l = 0; l < LAYOUT.layers(); l++) {
            assertThat(actual[l]).as("layer %d", l).containsExactly(expected[l]);
        }
    }

    @Test
    void windowedFileHoldsOnlyTheWindowOfSlidingLayers() throws IOException {
        Path windowedFile = dir.resolve("w.kvc");
        Path fullFile = dir.resolve("f.kvc");
        PromptCache w = PromptCache.create(MODEL, CacheOptions.windowed(GgmlType.F16));
        PromptCache full = PromptCache.create(MODEL, CacheOptions.full());
        SyntheticKv.fill(w, 4, 1000, 100);
        SyntheticKv.fill(full, 4, 1000, 100);
        long row = 2L * LAYOUT.kvDim() * 2; // K and V of one position, F16
        long saved = full.save(fullFile) - w.save(windowedFile);
        // two sliding layers hold W of 1000 positions; the headers differ only in cache.kind ("windowed" vs "full")
        assertThat(saved).isEqualTo(2 * (1000 - W) * row - ("windowed".length() - "full".length()));
        CacheContent.assertSame(PromptCache.load(windowedFile, MODEL).cache(), w.cache());
    }

    @Test
    void fileForOtherLayerKindsIsRefused() {
        Path file = dir.resolve("g.kvc");
        PromptCache pc = PromptCache.create(MODEL, CacheOptions.full());
        SyntheticKv.fill(pc, 2, 40, 40);
        pc.save(file);
        KvLayout allFull = new KvLayout(3, 2, 8);
        ModelIdentity other = new ModelIdentity("fp-gemma", "gemma3", allFull, 1_000_000f, "neox");
        assertThatThrownBy(() -> PromptCache.load(file, other)).isInstanceOf(KvasirException.class)
                .hasMessageContaining("does not match the model's").hasMessageContaining("sliding:24,full,sliding:24");
    }

    @Test
    void rotatingKindIsRefusedOnSlidingLayersAndWindowedWithout() {
        assertThatThrownBy(() -> CacheOptions.rotating(64, 4).newCache(LAYOUT)).isInstanceOf(KvasirException.class)
                .hasMessageContaining("sliding-window layers");
        assertThatThrownBy(() -> CacheOptions.windowed(GgmlType.F16).newCache(new KvLayout(2, 2, 8)))
                .isInstanceOf(KvasirException.class).hasMessageContaining("has none; use the full kind");
    }

    @Test
    void allFullLayoutsStillWriteVersion1() throws IOException {
        Path file = dir.resolve("llama.kvc");
        PromptCache pc = PromptCache.create(KvcFileTest.MODEL, CacheOptions.full());
        SyntheticKv.fill(pc, 2, 40, 40);
        pc.save(file);
        assertThat(version(file)).isEqualTo(1);
        assertThat(PromptCache.readHeader(file).model().layout().hasSlidingLayers()).isFalse();
    }

    private static int version(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file), 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
