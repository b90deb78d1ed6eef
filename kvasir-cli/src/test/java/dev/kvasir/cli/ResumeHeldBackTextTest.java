package dev.kvasir.cli;

import static dev.kvasir.cli.Workflows.model;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint written while text is held back (half a UTF-8 character, the start of a stop string)
 * resumes to exactly the uninterrupted run's text. The file is snapshotted the moment the checkpoint is
 * reported, which is what a kill right after that checkpoint leaves behind, at a chosen token.
 */
class ResumeHeldBackTextTest {
    @TempDir
    Path tmp;

    @Test
    void checkpointInsideAMultiByteCharacter() throws IOException {
        // at this temperature the sampler draws raw byte tokens; token 10 of this seed is <0xD0>, token 11
        // <0xBB>: together 'л', so a checkpoint after 11 tokens holds its first byte back
        String[] run = {"-p", "Once upon a time", "-n", "40", "--temp", "20", "--top-k", "0", "--top-p", "1",
                "--min-p", "0", "--seed", "4"};
        JsonNode held = interruptAndResume(run, 11);
        assertThat(held.get("checkpoint").get("gen.generated").asText().split(" ")).as("<0xD0> was the last token")
                .hasSize(11).endsWith("211");
        String whole = held.get("whole").get("text").asText();
        String saved = held.get("checkpoint").get("gen.text").asText();
        assertThat(whole).as("'л' comes right after the checkpoint's text").startsWith(saved + "л");
        assertThat(held.get("resumed").get("text").asText()).isEqualTo(whole);
    }

    @Test
    void checkpointInsideAPartialStopStringMatch() throws IOException {
        // greedy: ", there was a little girl named Lily. She loved to play outside in the park. One day, ..."
        // after 10 tokens the text ends in "Lily"; the stop string starts there and ends in later tokens
        String[] run = {"-p", "Once upon a time", "-n", "40", "--temp", "0", "--stop", "Lily. She"};
        JsonNode held = interruptAndResume(run, 10);
        JsonNode whole = held.get("whole");
        assertThat(whole.get("stop_reason").asText()).isEqualTo("stop_string");
        assertThat(whole.get("text").asText()).isEqualTo(", there was a little girl named ");
        assertThat(held.get("checkpoint").get("gen.text").asText()).as("'Lily' was held back as a possible stop")
                .isEqualTo(whole.get("text").asText());
        assertThat(held.get("resumed").get("text").asText()).isEqualTo(whole.get("text").asText());
        assertThat(held.get("resumed").get("stop_reason").asText()).isEqualTo("stop_string");
    }

    @Test
    void aCheckpointedGenerationCanStartFromAPromptCacheWhichStaysUnchanged() throws IOException {
        Path doc = tmp.resolve("doc.kvc");
        Workflows.assertSuccess(Cli.exec("cache-prompt", "-m", model(), "-p", Workflows.DOC, "--cache", doc.toString()));
        byte[] before = Files.readAllBytes(doc);
        String[] run = {"--cache", doc.toString(), "-p", " Then", "-n", "30", "--temp", "0.8", "--seed", "9"};
        JsonNode held = interruptAndResume(run, 7);
        assertThat(held.get("resumed").get("text").asText()).isEqualTo(held.get("whole").get("text").asText());
        assertThat(held.get("checkpoint").has("text")).as("the document's text key is not carried over").isFalse();
        assertThat(Files.readAllBytes(doc)).as("the source cache is not written").isEqualTo(before);

        Cli.Result r = Cli.exec("generate", "--resume", tmp.resolve("gen.kvc").toString(), "--cache", doc.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).containsOnlyOnce("\n").contains("--resume cannot be combined with --cache");
    }

    /** {whole: uninterrupted --json, checkpoint: the snapshot's metadata, resumed: --resume --json}. */
    private JsonNode interruptAndResume(String[] run, int atToken) throws IOException {
        JsonNode whole = Cli.json(Cli.exec(concat(new String[] {"generate", "-m", model(), "--json"}, run)));
        Path file = tmp.resolve("gen.kvc");
        Path snapshot = tmp.resolve("snapshot.kvc");
        var err = new SnapshotOnCheckpoint("checkpoint: " + atToken + " tokens saved", file, snapshot);
        var io = new CliIo(new PrintWriter(new StringWriter()), new PrintWriter(err),
                new ByteArrayInputStream(new byte[0]), Map.of(), tmp, null);
        int code = Main.run(concat(new String[] {"generate", "-m", model(), "--checkpoint", file.toString(),
                "--checkpoint-every", Integer.toString(atToken)}, run), io);
        assertThat(code).as(err.toString()).isZero();
        assertThat(snapshot).as("a checkpoint after " + atToken + " tokens was written").exists();
        JsonNode meta = Cli.json(Cli.exec("cache", "info", snapshot.toString(), "--json")).get("metadata");
        assertThat(meta.get("gen.finished").asText()).isEqualTo("false");
        JsonNode resumed = Cli.json(Cli.exec("generate", "--resume", snapshot.toString(), "--json"));
        assertThat(resumed.get("generated_token_ids")).isEqualTo(whole.get("generated_token_ids"));
        return Cli.JSON.createObjectNode().<com.fasterxml.jackson.databind.node.ObjectNode>set("whole", whole)
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("checkpoint", meta).set("resumed", resumed);
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** Stderr that copies the checkpoint file when the wanted checkpoint line is flushed (after the save). */
    private static final class SnapshotOnCheckpoint extends StringWriter {
        private final String line;
        private final Path file;
        private final Path snapshot;

        SnapshotOnCheckpoint(String line, Path file, Path snapshot) {
            this.line = line;
            this.file = file;
            this.snapshot = snapshot;
        }

        @Override
        public void flush() {
            if (toString().contains(line) && !Files.exists(snapshot)) {
                try {
                    Files.copy(file, snapshot);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
