package dev.kvasir.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code kvasir} command itself: only dispatches to its subcommands. */
@Command(name = "kvasir", mixinStandardHelpOptions = true, version = "kvasir 0.1.0",
        description = "Local LLM inference for the JVM with persistent KV caches.")
final class KvasirCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: use one of " + spec.subcommands().keySet());
    }
}
