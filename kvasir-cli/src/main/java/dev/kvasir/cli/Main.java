package dev.kvasir.cli;

import picocli.CommandLine;

/** Entry point of the {@code kvasir} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = run(args, CliIo.system());
        System.exit(code);
    }

    /** Runs one command line; returns the exit code (0 ok, 1 error, 2 usage error). */
    public static int run(String[] args, CliIo io) {
        CommandLine cli = new CommandLine(new KvasirCommand())
                .addSubcommand("generate", new GenerateCommand(io))
                .addSubcommand("tokenize", new TokenizeCommand(io))
                .addSubcommand("template", new TemplateCommand(io))
                .addSubcommand("cache-prompt", new CachePromptCommand(io))
                .addSubcommand("compose", new ComposeCommand(io))
                .addSubcommand("chat", new ChatCommand(io))
                .addSubcommand("cache", new CommandLine(new CacheCommand())
                        .addSubcommand("info", new CacheInfoCommand(io))
                        .addSubcommand("verify", new CacheVerifyCommand(io))
                        .addSubcommand("trim", new CacheTrimCommand(io))
                        .addSubcommand("compact", new CacheCompactCommand(io))
                        .addSubcommand("ls", new CacheLsCommand(io))
                        .addSubcommand("gc", new CacheGcCommand(io))
                        .addSubcommand("export", new CacheExportCommand(io))
                        .addSubcommand("import", new CacheImportCommand(io)))
                .addSubcommand("serve", new ServeCommand(io))
                .addSubcommand("bench", new BenchCommand(io))
                .addSubcommand("dev", new CommandLine(new DevCommand()).addSubcommand("synth", new SynthCommand(io))
                        .addSubcommand("compose-quality", new ComposeQualityCommand(io)));
        cli.setOut(io.out());
        cli.setErr(io.err());
        cli.setParameterExceptionHandler(ErrorReporter::usageError);
        cli.setExecutionExceptionHandler(ErrorReporter::executionError);
        try {
            return cli.execute(args);
        } finally {
            io.out().flush();
            io.err().flush();
        }
    }
}
