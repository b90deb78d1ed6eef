package dev.kvasir.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the examples as a user would and checks what they print: two turns, the second computing only its new tokens. */
class ExamplesTest {
    private static final Pattern STATS = Pattern.compile("\\[(\\d+) prompt tokens: (\\d+) cached, (\\d+) computed]");

    @TempDir
    Path tmp;

    @Test
    void helloKvasirPrintsTwoTurnsAndSavesTheSession() {
        Path session = tmp.resolve("cat.kvc");
        String out = run(HelloKvasir::main, SharedData.model("stories260K.gguf").toString(), session.toString());
        assertTwoTurnsSecondCached(out, true);
        assertThat(session).isRegularFile();
    }

    @Test
    void langChain4jExamplePrintsTwoTurnsAndARerunReusesTheFirstFromDisk() throws Exception {
        Path cache = tmp.resolve("cache");
        String[] args = {SharedData.model("stories260K.gguf").toString(), cache.toString()};
        String first = run(LangChain4jTwoTurns::main, args);
        assertThat(first).contains("user: Tell me about a cat.", "user: What did the cat eat?");
        assertTwoTurnsSecondCached(first, true);
        try (var files = Files.list(cache)) {
            assertThat(files.count()).isPositive();
        }
        String rerun = run(LangChain4jTwoTurns::main, args);
        List<int[]> again = stats(rerun);
        assertThat(again).hasSize(2).allSatisfy(t -> assertThat(t[1]).as("the restarted program finds both turns on disk")
                .isEqualTo(t[0] - 1));
        assertThat(STATS.matcher(rerun).replaceAll("")).isEqualTo(STATS.matcher(first).replaceAll(""));
    }

    /** Both turns printed; turn 2 took turn 1's prompt and answer from the cache and computed fewer tokens than that. */
    private static void assertTwoTurnsSecondCached(String out, boolean firstFresh) {
        List<int[]> stats = stats(out);
        assertThat(stats).as(out).hasSize(2);
        if (firstFresh) {
            assertThat(stats.get(0)[1]).isZero();
        }
        int[] second = stats.get(1);
        assertThat(second[1]).as("cached").isGreaterThan(stats.get(0)[0]);
        assertThat(second[2]).as("computed").isPositive().isLessThan(second[1]);
        assertThat(second[1] + second[2]).isEqualTo(second[0]);
    }

    private static List<int[]> stats(String out) {
        List<int[]> stats = new ArrayList<>();
        Matcher m = STATS.matcher(out);
        while (m.find()) {
            stats.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))});
        }
        return stats;
    }

    private static String run(Consumer<String[]> main, String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            main.accept(args);
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(out); // kept in the surefire report, so CI logs show what the examples print
        return out;
    }
}
