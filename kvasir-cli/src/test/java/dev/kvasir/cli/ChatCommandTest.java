package dev.kvasir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kvasir chat}: piped turns in one process equal the same turns across processes sharing
 * --session; on stories260K and on the synthetic model of every family ({@link Workflows#models}).
 */
class ChatCommandTest {
    private static final String[] TURNS = {"Tell me about a cat.", "What did the cat eat?", "Where did it sleep?"};
    private static final Pattern TURN = Pattern.compile("\\[turn: (\\d+) tokens cached, (\\d+) evaluated");

    @TempDir
    Path tmp;

    private Cli.Result chat(String model, String stdin, String... extra) {
        List<String> args = new ArrayList<>(List.of("chat", "-m", model, "--temp", "0.7", "--seed", "5", "-n", "12",
                "--system", "You are a storyteller."));
        args.addAll(List.of(extra));
        Cli.Result r = new Cli().stdin(stdin).run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    private static List<int[]> turns(String err) {
        List<int[]> out = new ArrayList<>();
        Matcher m = TURN.matcher(err);
        while (m.find()) {
            out.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("dev.kvasir.cli.Workflows#models")
    void threeTurnsInOneProcessEqualThreeProcessesSharingASession(String model) {
        Cli.Result oneGo = chat(model, String.join("\n", TURNS) + "\n");
        assertThat(turns(oneGo.err())).hasSize(3);

        Path session = tmp.resolve("s.kvc");
        StringBuilder separate = new StringBuilder();
        List<int[]> stats = new ArrayList<>();
        for (String turn : TURNS) {
            Cli.Result r = chat(model, turn + "\n", "--session", session.toString());
            separate.append(r.out());
            stats.addAll(turns(r.err()));
        }
        assertThat(separate.toString()).isEqualTo(oneGo.out()).isNotBlank();
        assertThat(turns(oneGo.err())).usingRecursiveComparison().isEqualTo(stats);
        assertThat(stats.get(0)[0]).isZero();
        if (!canonicalAnswers(model)) {
            return;
        }
        for (int i = 1; i < 3; i++) {
            int[] s = stats.get(i);
            assertThat(s[0]).as("turn %d reuses the conversation", i).isGreaterThan(stats.get(i - 1)[0] + stats.get(i - 1)[1]);
            assertThat(s[1]).as("turn %d evaluates only the new turn", i).isLessThan(s[0]);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.kvasir.cli.Workflows#models")
    void undoForgetsTheLastTurnAndForkLeavesTheSessionAsItWas(String model) {
        Path session = tmp.resolve("s.kvc");
        chat(model, TURNS[0] + "\n", "--session", session.toString());
        int[] one = Workflows.tokens(session);
        Cli.Result r = chat(model, TURNS[1] + "\n/undo\n/info\n/fork other\n" + TURNS[2] + "\n/exit\nignored\n",
                "--session", session.toString());
        assertThat(r.err()).contains("[undone", "[3 messages, ", "[forked: continuing in");
        assertThat(turns(r.err())).hasSize(2);
        int[] afterUndo = Workflows.tokens(session);
        assertThat(Workflows.tokens(tmp.resolve("other.kvc")).length).isGreaterThan(one.length);
        if (!canonicalAnswers(model)) {
            return;
        }
        // the first turn's tokens (its last answer token was never fed), then the re-rendered end of that answer
        assertThat(java.util.Arrays.copyOf(afterUndo, one.length)).isEqualTo(one);
        assertThat(afterUndo.length).isLessThan(one.length + 16);
    }

    /**
     * Whether the model's answers re-tokenize to the tokens it sampled, which prefix reuse across
     * turns relies on. stories260K's do; the random-weight family models emit token sequences such as
     * " 3" as one token where the re-rendered text tokenizes as " " "3", and their vocabularies (gpt-2,
     * phi-3) have no ChatML special tokens, so a turn may reuse less than the whole previous turn.
     * For them the test asserts what the session must guarantee anyway: the same output across
     * processes as in one process.
     */
    private static boolean canonicalAnswers(String model) {
        return model.equals(Workflows.model());
    }

    @Test
    void forkOntoAnExistingFileAndResetOfASavedSessionAreRefusedWithoutForce() throws java.io.IOException {
        Path session = tmp.resolve("s.kvc");
        chat(Workflows.model(), TURNS[0] + "\n", "--session", session.toString());
        Path other = java.nio.file.Files.writeString(tmp.resolve("other.kvc"), "my notes");
        byte[] saved = java.nio.file.Files.readAllBytes(session);

        Cli.Result r = chat(Workflows.model(), "/fork other\n/reset\n", "--session", session.toString());
        assertThat(r.err()).contains("[not forked: " + other + " exists; /fork other --force overwrites it]")
                .contains("[not reset: that would erase the 2 messages saved in " + session)
                .doesNotContain("[forked", "[conversation reset]");
        assertThat(java.nio.file.Files.readString(other)).isEqualTo("my notes");
        assertThat(java.nio.file.Files.readAllBytes(session)).isEqualTo(saved);

        Cli.Result forced = chat(Workflows.model(), "/reset --force\n/fork other --force\n", "--session", session.toString());
        assertThat(forced.err()).contains("[conversation reset]", "[forked: continuing in " + other + "]");
        assertThat(Workflows.tokens(session)).isEmpty();
        assertThat(Workflows.tokens(other)).isEmpty();
    }
}
