package dev.kvasir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
