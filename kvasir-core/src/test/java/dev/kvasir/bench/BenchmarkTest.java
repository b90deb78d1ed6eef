package dev.kvasir.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kvasir.KvasirException;
import dev.kvasir.SharedData;
import dev.kvasir.model.Model;
import dev.kvasir.tensor.Parallel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkTest {
    private final int threadsBefore = Parallel.threads();

    @TempDir
    Path dir;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @Test
    void namesAndWarmUpFollowLlamaBench() {
        assertThat(BenchTest.prompt(512).name()).isEqualTo("pp512");
        assertThat(BenchTest.generate(128).name()).isEqualTo("tg128");
        assertThat(BenchTest.prompt(512).warmUp()).isEqualTo(BenchTest.prompt(128));
        assertThat(BenchTest.generate(8).warmUp()).isEqualTo(BenchTest.generate(8));
        assertThatThrownBy(() -> BenchTest.prompt(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void meanAndSampleStandardDeviation() {
        BenchResult r = new BenchResult(BenchTest.generate(4), 2, new double[] {2, 4, 4, 4, 5, 5, 7, 9});
        assertThat(r.mean()).isEqualTo(5.0);
        assertThat(r.stddev()).isCloseTo(Math.sqrt(32.0 / 7), within(1e-12));
        assertThat(new BenchResult(BenchTest.generate(4), 1, new double[] {3}).stddev()).isZero();
    }

    @Test
    void runsEachRepetitionOnTheRequestedThreads() {
        try (Model model = Model.load(SharedData.model("stories260K.gguf"))) {
            Benchmark bench = new Benchmark(model, 1);
            for (BenchTest test : new BenchTest[] {BenchTest.prompt(16), BenchTest.generate(4)}) {
                BenchResult r = bench.run(test, 1, 3);
                assertThat(r.test()).isEqualTo(test);
                assertThat(r.threads()).isEqualTo(1);
                assertThat(r.tokensPerSecond()).hasSize(3);
                assertThat(java.util.Arrays.stream(r.tokensPerSecond())).allSatisfy(v -> assertThat(v).isPositive().isFinite());
            }
            assertThat(Parallel.threads()).isEqualTo(1);
            assertThat(java.util.Arrays.stream(bench.randomTokens(1000)).boxed()).allSatisfy(t -> assertThat(t).isBetween(0, 511));
        }
    }

    @Test
    void cachedFirstTokenEqualsTheOneFromScratch() throws Exception {
        try (Model model = Model.load(SharedData.model("stories260K.gguf"))) {
            CacheTtft.Result r = new CacheTtft(model, 5).measure(200, 1, dir);
            assertThat(r.sameToken()).isTrue();
            assertThat(r.promptTokens()).isEqualTo(200);
            assertThat(r.fileBytes()).isGreaterThan(199L * 5 * 2 * 4 * 8 * 2); // 199 positions of F16 K and V
            assertThat(r.cachedSeconds()).isGreaterThanOrEqualTo(r.loadSeconds());
            try (var files = Files.list(dir)) {
                assertThat(files).as("the .kvc file is removed").isEmpty();
            }
            assertThatThrownBy(() -> new CacheTtft(model, 5).measure(4096, 1, dir))
                    .isInstanceOf(KvasirException.class).hasMessageContaining("2048");
        }
    }
}
