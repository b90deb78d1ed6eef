package dev.kvasir.cli;

import static dev.kvasir.cli.Workflows.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CLI says about itself matches what it does. */
class CliHonestyTest {
    @Test
    void cacheHelpNamesEveryCacheTool() {
        Cli.Result r = Cli.exec("cache", "--help");
        assertThat(r.exitCode()).isZero();
        String description = r.out().lines().takeWhile(l -> !l.startsWith("Commands:")).reduce("", (a, b) -> a + b + "\n");
        for (String tool : new String[] {"info", "verify", "trim", "compact", "ls", "gc", "export", "import"}) {
            assertThat(r.out()).contains("  " + tool + " ");
        }
        assertThat(description).as("the summary above the command list").contains("export", "import");
    }

    static final String TEMPLATE = "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}"
            + "{% if add_generation_prompt %}[assistant]{% endif %}";

    @TempDir
    Path tmp;

    /** Prompt ids of {@code [{"role":"user","content":"Hi"}]} as 'kvasir template --ids' renders them. */
    private int templateIds(String... templateArgs) throws IOException {
        Path messages = Files.writeString(tmp.resolve("m.json"), "[{\"role\": \"user\", \"content\": \"Hi\"}]");
        String[] args = {"template", "-m", model(), "--messages", messages.toString(), "--add-generation-prompt", "--ids"};
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(templateArgs))
                .toArray(String[]::new);
        Cli.Result r = Cli.exec(all);
        Workflows.assertSuccess(r);
        return r.out().strip().split(" ").length;
    }

    @Test
    void chatTakesAChatTemplateFile() throws IOException {
        Path template = Files.writeString(tmp.resolve("brackets.jinja"), TEMPLATE);
        int expected = templateIds("--chat-template", template.toString());
        assertThat(expected).as("differs from the model's own rendering").isNotEqualTo(templateIds());
        Cli.Result r = new Cli().stdin("Hi\n").run("chat", "-m", model(), "--chat-template", template.toString(),
                "--temp", "0", "-n", "3");
        Workflows.assertSuccess(r);
        Matcher m = Pattern.compile("\\[turn: 0 tokens cached, (\\d+) evaluated").matcher(r.err());
        assertThat(m.find()).as(r.err()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(expected);
    }

    @Test
    void serveTakesAChatTemplateFileAndRefusesAMissingOneInOneLine() {
        Path missing = tmp.resolve("missing.jinja");
        Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> Cli.exec("serve", "-m", model(), "--port", "0", "--chat-template", missing.toString()));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("kvasir: ").containsOnlyOnce("\n").contains("missing.jinja");
    }
}
