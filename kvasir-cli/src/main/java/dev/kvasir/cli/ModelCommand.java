package dev.kvasir.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A subcommand that reads a prompt and a model: the options and I/O they share. */
abstract class ModelCommand implements Callable<Integer> {
    final CliIo io;

    @Mixin
    CommonOptions common;

    @Mixin
    PromptOptions prompt;

    ModelCommand(CliIo io) {
        this.io = io;
    }

    boolean verbose() {
        return common != null && common.verbose;
    }
}
