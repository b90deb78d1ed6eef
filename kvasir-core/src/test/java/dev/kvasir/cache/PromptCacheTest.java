package dev.kvasir.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.tensor.GgmlType;
import org.junit.jupiter.api.Test;

class PromptCacheTest {
    private static final ModelIdentity MODEL = KvcFileTest.MODEL;

    @Test
    void forkSharesFullChunksAndDivergingLeavesTheParentUnchanged() {
        PromptCache parent = PromptCache.create(MODEL, CacheOptions.full(GgmlType.F32));
        SyntheticKv.fill(parent, 1, 600, 100);
        PromptCache reference = PromptCache.create(MODEL, CacheOptions.full(GgmlType.F32));
        SyntheticKv.fill(reference, 1, 600, 600);

        PromptCache fork = parent.fork();
        Rows<?> parentKeys = (Rows<?>) StoredView.keys(parent.cache(), 1);
        Rows<?> forkKeys = (Rows<?>) StoredView.keys(fork.cache(), 1);
        assertThat(forkKeys.chunkFor(0)).isSameAs(parentKeys.chunkFor(0)); // the prefix is not duplicated
        assertThat(forkKeys.chunkFor(300)).isSameAs(parentKeys.chunkFor(300));

        fork.trim(400); // back into the first, shared chunk
        SyntheticKv.fill(fork.cache(), 2, 200, 700, 64);
        fork.accepted(new int[500]);
        assertThat(forkKeys.chunkFor(0)).isNotSameAs(parentKeys.chunkFor(0));
        assertThat(parent.tokens()).containsExactly(reference.tokens());
        CacheContent.assertSame(parent.cache(), reference.cache());
        assertThat(fork.size()).isEqualTo(700);
    }

    @Test
    void commonPrefixAndReuseTrimToWhatMatches() {
        PromptCache pc = PromptCache.create(MODEL, CacheOptions.full());
        SyntheticKv.fill(pc, 1, 50, 50);
        int[] prompt = SyntheticKv.tokens(0, 60);
        prompt[30] = -1;
        assertThat(pc.commonPrefix(prompt)).isEqualTo(30);
        assertThat(pc.commonPrefix(SyntheticKv.tokens(0, 20))).isEqualTo(20);
        assertThat(pc.reuse(prompt)).isEqualTo(30);
        assertThat(pc.size()).isEqualTo(30);
        assertThat(pc.cache().size()).isEqualTo(30);
        // a prompt that is entirely cached still leaves its last token to compute (its logits are needed)
        assertThat(pc.reuse(SyntheticKv.tokens(0, 30))).isEqualTo(29);
    }

    @Test
    void rotatingCacheThatCannotTrimIsClearedOnReuse() {
        PromptCache pc = PromptCache.create(MODEL, CacheOptions.rotating(32, 4));
        SyntheticKv.fill(pc, 1, 40, 8);
        assertThat(pc.canTrim(1)).isFalse();
        assertThat(pc.trim(1)).isZero();
        assertThat(pc.reuse(SyntheticKv.tokens(0, 39))).isZero();
        assertThat(pc.cache().size()).isZero();
    }

    @Test
    void tokensMustMatchTheCache() {
        PromptCache pc = PromptCache.create(MODEL, CacheOptions.full());
        SyntheticKv.fill(pc.cache(), 1, 0, 3, 3);
        assertThatThrownBy(() -> pc.accepted(1, 2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pc.save(java.nio.file.Path.of("x.kvc"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void invalidOptionsAreUserErrors() {
        assertThatThrownBy(() -> CacheOptions.rotating(4, 4)).isInstanceOf(KvasirException.class).hasMessageContaining("keep");
        assertThatThrownBy(() -> CacheOptions.quantized(5, 32)).isInstanceOf(KvasirException.class).hasMessageContaining("bits");
        assertThatThrownBy(() -> CacheOptions.full(GgmlType.Q8_0)).isInstanceOf(KvasirException.class);
        assertThatThrownBy(() -> PromptCache.create(MODEL, CacheOptions.quantized(8, 64)))
                .isInstanceOf(KvasirException.class).hasMessageContaining("group size 64 does not divide");
    }
}
