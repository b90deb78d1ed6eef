package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Turns failures into the one-line messages and exit codes users see; stack traces only with --verbose. */
final class ErrorReporter {
    static final int ERROR = 1;
    static final int USAGE = 2;

    private ErrorReporter() {}

    static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("kvasir: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return USAGE;
    }

    static int executionError(Exception e, CommandLine cmd, ParseResult parseResult) {
        var err = cmd.getErr();
        if (e instanceof KvasirException) {
            err.println("kvasir: " + e.getMessage());
        } else {
            err.println("kvasir: internal error: " + e + (verbose(cmd) ? "" : " (run with --verbose for details)"));
        }
        if (verbose(cmd)) {
            e.printStackTrace(err);
        }
        return ERROR;
    }

    private static boolean verbose(CommandLine cmd) {
        // any command with the CommonOptions mixin (field "common"), not only ModelCommands
        var common = cmd.getCommandSpec().mixins().get("common");
        return common != null && common.userObject() instanceof CommonOptions o && o.verbose;
    }
}
