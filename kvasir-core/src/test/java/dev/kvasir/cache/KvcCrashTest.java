package dev.kvasir.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.tensor.GgmlType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills a checkpointing child JVM with SIGKILL at random moments (10 per cache kind, 30 in all);
 * each kill lands after the child's first save; after each kill the file must load as a complete checkpoint equal to the uninterrupted run's prefix,
 * and the next child continues from it.
 */
class KvcCrashTest {
    static final KvLayout LAYOUT = new KvLayout(4, 4, 32);
    static final ModelIdentity MODEL = new ModelIdentity("fp-crash", "llama", LAYOUT, 10000f, "norm");
    static final long SEED = 77;
    static final int LIMIT = 100_000;
    private static final int KILLS = 10;

    @TempDir
    Path dir;

    static CacheOptions options(String kind) {
        return switch (kind) {
            case "full" -> CacheOptions.full();
            case "rotating" -> CacheOptions.rotating(300, 8, GgmlType.F32);
            default -> CacheOptions.quantized(4, 32, 50, GgmlType.F16);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "rotating", "quantized"})
    void killedWhileCheckpointingLoadsAsACompletePrefix(String kind) throws Exception {
        Path file = dir.resolve(kind + ".kvc");
        Random random = new Random(kind.hashCode());
        int last = 0;
        int torn = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = start(file, kind);
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
            String ready = out.readLine();
            assertThat(ready).as("child output").startsWith("ready");
            assertThat(Integer.parseInt(ready.substring(6))).isEqualTo(last); // the child resumed where we left off
            // kill while it checkpoints steadily, not during JVM start-up
            assertThat(out.readLine()).as("child output").startsWith("saved");
            Thread.sleep(random.nextInt(0, 60));
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            PromptCache loaded = PromptCache.load(file, MODEL);
            assertThat(loaded.size()).isGreaterThanOrEqualTo(last);
            torn += loaded.loadReport().intact() ? 0 : 1;
            assertThat(loaded.tokens()).containsExactly(SyntheticKv.tokens(0, loaded.size()));
            PromptCache reference = PromptCache.create(MODEL, options(kind));
            SyntheticKv.fill(reference, SEED, loaded.size(), 97);
            CacheContent.assertSame(loaded.cache(), reference.cache());
            last = loaded.size();
        }
        assertThat(last).as("the children made progress").isGreaterThan(0);
        System.out.println(kind + ": " + last + " tokens after " + KILLS + " kills, " + torn + " torn tails ignored");
    }

    private static Process start(Path file, String kind) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                KvcCrashChild.class.getName(), file.toString(), kind);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
