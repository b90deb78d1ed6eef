package dev.kvasir.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kvasir dev}: tools for developing and benchmarking Kvasir, not for end users. */
@Command(name = "dev", mixinStandardHelpOptions = true, description = "Developer tools (synthetic models).")
final class DevCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing dev command: use one of " + spec.subcommands().keySet());
    }
}
