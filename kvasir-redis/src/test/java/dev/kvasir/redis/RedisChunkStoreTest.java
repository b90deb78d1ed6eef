package dev.kvasir.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.ChunkStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Jedis store against a real redis-server: values byte-exact, missing keys null, a dead server Unavailable fast, then back. */
class RedisChunkStoreTest {

    @Test
    void storesReadsAndSurvivesARestartOfRedis() {
        try (LocalRedis redis = LocalRedis.start(); RedisChunkStore store = RedisChunkStore.open(redis.uri(), Duration.ofMillis(500))) {
            byte[] big = new byte[3 << 20];
            Arrays.fill(big, (byte) 0xA5);
            big[12345] = 0;
            store.put("a", big);
            store.put("b", new byte[] {1, 2, 3});
            List<byte[]> got = store.get(List.of("a", "missing", "b"));
            assertThat(got.get(0)).isEqualTo(big);
            assertThat(got.get(1)).isNull();
            assertThat(got.get(2)).containsExactly(1, 2, 3);
            store.addMember("s", "17");
            store.addMember("s", "3");
            assertThat(store.members("s")).containsExactlyInAnyOrder("17", "3");
            store.delete("b");
            assertThat(store.get(List.of("b")).getFirst()).isNull();

            redis.kill();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> store.get(List.of("a"))).isInstanceOf(ChunkStore.Unavailable.class)
                    .hasMessageContaining("redis://127.0.0.1:" + redis.port());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            redis.restart(); // empty: no persistence
            assertThat(store.get(List.of("a")).getFirst()).isNull();
            store.put("a", big);
            assertThat(store.get(List.of("a")).getFirst()).isEqualTo(big);
        }
    }

    @Test
    void aMalformedUriIsOneClearLineWithoutThePassword() {
        assertThatThrownBy(() -> RedisChunkStore.open("http://user:secret@host:1", Duration.ofMillis(100)))
                .isInstanceOf(KvasirException.class).hasMessageContaining("not a Redis URI").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> RedisChunkStore.open("redis://host", Duration.ofMillis(100)))
                .isInstanceOf(KvasirException.class);
        assertThat(RedisChunkStore.redact("rediss://me:pw@h:6380/2")).isEqualTo("rediss://me:***@h:6380/2");
    }
}
