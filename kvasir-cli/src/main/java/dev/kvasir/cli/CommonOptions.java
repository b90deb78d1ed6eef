package dev.kvasir.cli;

import picocli.CommandLine.Option;

/** Options every model command takes. */
final class CommonOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "GGUF model file (default: $KVASIR_MODEL, else ../shared/models/stories260K.gguf)")
    java.nio.file.Path model;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;
}
