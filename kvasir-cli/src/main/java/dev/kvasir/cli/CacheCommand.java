package dev.kvasir.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kvasir cache}: tools for .kvc files; they need no model, since a file names the model it belongs to. */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = "Inspect, verify, trim, compact and clean up .kvc prompt-cache files, and export or import them as mlx-lm prompt caches.")
final class CacheCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing cache command: use one of " + spec.subcommands().keySet());
    }
}
