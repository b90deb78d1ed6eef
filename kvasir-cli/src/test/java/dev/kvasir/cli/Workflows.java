package dev.kvasir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvasir.SharedData;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.synth.ArchReferences;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Shared pieces of the workflow tests: the model, a document, child JVMs running the CLI, reading caches back. */
final class Workflows {
    /** About 170 tokens of stories260K's kind of text. */
    static final String DOC = """
            Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her \
            friends. One day, Lily saw a big red ball under a tree. She ran to the ball and kicked it very high. \
            The ball flew over the fence and into the garden of an old man. Lily was scared, but she went to the \
            door and knocked. The old man opened the door and smiled. He gave Lily the ball and a cookie. Lily \
            said thank you and ran back to her friends. They played with the ball all day long. When the sun went \
            down, Lily went home to her mom. She told her mom about the kind old man and the cookie.""";

    static final String MORE = """
             The next day, Lily and her mom baked cookies for the old man. He was very happy and they became \
            good friends.""";

    private Workflows() {}

    static String model() {
        return SharedData.model("stories260K.gguf").toString();
    }

    /** stories260K and the F32 synthetic model of each family on the architecture seam (regenerated once per JVM). */
    static java.util.stream.Stream<String> models() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(model()),
                ArchReferences.ARCHS.stream().map(arch -> ArchReferences.model(arch, "f32").toString()));
    }

    /** The token ids a .kvc file holds, read without a model. */
    static int[] tokens(Path kvc) {
        return PromptCache.load(kvc, PromptCache.readHeader(kvc).model()).tokens();
    }

    static List<Integer> greedy(Path kvc, String suffix, int n) throws IOException {
        var r = Cli.json(Cli.exec("generate", "--cache", kvc.toString(), "-p", suffix, "--temp", "0", "-n",
                Integer.toString(n), "--json"));
        return Cli.ints(r.get("generated_token_ids"));
    }

    /** Starts {@code kvasir ARGS} in a child JVM, stderr readable line by line. */
    static Process child(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static void assertSuccess(Cli.Result r) {
        assertThat(r.exitCode()).as(r.err()).isZero();
    }
}
