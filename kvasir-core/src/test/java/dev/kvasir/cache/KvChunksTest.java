package dev.kvasir.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.tensor.GgmlType;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** KV chunks: bit-exact round trips, every damaged value refused with the cache unchanged, chained keys. */
class KvChunksTest {
    private static final ModelIdentity MODEL = KvcFileTest.MODEL;

    @Test
    void chunksRebuildTheCacheBitForBit() {
        for (CacheOptions options : new CacheOptions[] {CacheOptions.full(), CacheOptions.full(GgmlType.F32),
                new CacheOptions(CacheOptions.Kind.QUANTIZED, GgmlType.F16, 0, 0, 4, 8, 10)}) {
            PromptCache source = PromptCache.create(MODEL, options);
            SyntheticKv.fill(source, 7, 300, 64);
            PromptCache rebuilt = PromptCache.create(MODEL, options);
            for (int start = 0; start < 300; start += 128) { // two full chunks and a tail of 44
                int n = Math.min(128, 300 - start);
                byte[] value = KvChunks.encode(source, start, n);
                assertThat((long) value.length).isLessThanOrEqualTo(KvChunks.maxBytes(MODEL.layout(), n));
                KvChunks.append(rebuilt, value, Arrays.copyOfRange(source.tokens(), start, start + n));
            }
            assertThat(rebuilt.tokens()).containsExactly(source.tokens());
            CacheContent.assertSame(rebuilt.cache(), source.cache());
        }
    }

    @Test
    void aFlippedTruncatedMisplacedOrForeignChunkIsRefusedAndChangesNothing() {
        PromptCache source = PromptCache.create(MODEL, CacheOptions.full());
        SyntheticKv.fill(source, 3, 64, 64);
        byte[] first = KvChunks.encode(source, 0, 32);
        byte[] second = KvChunks.encode(source, 32, 32);
        int[] secondIds = Arrays.copyOfRange(source.tokens(), 32, 64);
        Random random = new Random(14);
        for (int trial = 0; trial < 200; trial++) {
            PromptCache target = PromptCache.create(MODEL, CacheOptions.full());
            KvChunks.append(target, first, Arrays.copyOf(source.tokens(), 32));
            byte[] bad = second.clone();
            int at = random.nextInt(bad.length);
            bad[at] ^= (byte) (1 << random.nextInt(8));
            assertThatThrownBy(() -> KvChunks.append(target, bad, secondIds)).as("flip at " + at).isInstanceOf(KvasirException.class);
            byte[] torn = Arrays.copyOf(second, random.nextInt(second.length));
            assertThatThrownBy(() -> KvChunks.append(target, torn, secondIds)).isInstanceOf(KvasirException.class);
            assertThat(target.size()).isEqualTo(32);
            assertThat(target.cache().size()).isEqualTo(32);
        }
        PromptCache empty = PromptCache.create(MODEL, CacheOptions.full());
        assertThatThrownBy(() -> KvChunks.append(empty, second, secondIds)).hasMessageContaining("positions 32+32, expected 0+32");
        int[] other = secondIds.clone();
        other[5]++;
        PromptCache target = PromptCache.create(MODEL, CacheOptions.full());
        KvChunks.append(target, first, Arrays.copyOf(source.tokens(), 32));
        assertThatThrownBy(() -> KvChunks.append(target, second, other)).hasMessageContaining("other token ids");
        PromptCache f32 = PromptCache.create(MODEL, CacheOptions.full(GgmlType.F32));
        assertThatThrownBy(() -> KvChunks.append(f32, first, Arrays.copyOf(source.tokens(), 32)))
                .isInstanceOf(KvasirException.class);
        KvChunks.append(target, second, secondIds); // the intact value still applies
        CacheContent.assertSame(target.cache(), source.cache());
    }

    @Test
    void keysChainThePrefixAndSeparateModelsAndLayouts() {
        ChunkKeys keys = new ChunkKeys(MODEL, CacheOptions.full());
        int[] a = SyntheticKv.tokens(0, 64);
        int[] b = a.clone();
        b[3]++; // differs in the first chunk only
        byte[][] ca = keys.chain(a, 16, 4);
        byte[][] cb = keys.chain(b, 16, 4);
        assertThat(keys.chain(a.clone(), 16, 4)).isDeepEqualTo(ca);
        for (int i = 0; i < 4; i++) {
            assertThat(cb[i]).as("chunk " + i + " names its whole prefix").isNotEqualTo(ca[i]);
        }
        assertThat(keys.key(ca[1])).isEqualTo(keys.key(keys.next(ca[0], a, 16, 32))).startsWith("kvasir:1:");
        ModelIdentity other = new ModelIdentity("another-fingerprint", MODEL.architecture(), MODEL.layout(),
                MODEL.ropeFreqBase(), MODEL.ropeType());
        assertThat(new ChunkKeys(other, CacheOptions.full()).key(new ChunkKeys(other, CacheOptions.full()).chain(a, 16, 1)[0]))
                .isNotEqualTo(keys.key(ca[0]));
        assertThat(new ChunkKeys(MODEL, CacheOptions.full(GgmlType.F32)).chain(a, 16, 1)[0]).isNotEqualTo(ca[0]);
    }
}
