package dev.kvasir.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --chat-template FILE}: one option for every command that renders chats (template, chat, serve). */
final class ChatTemplateOption {
    @Option(names = "--chat-template", paramLabel = "FILE",
            description = "Jinja2 chat template to use instead of the model's own (docs/chat.md).")
    Path file;

    /** The file resolved against the working directory, or null to use the model's template (else ChatML). */
    Path resolve(CliIo io) {
        return file == null ? null : io.workingDir().resolve(file);
    }
}
