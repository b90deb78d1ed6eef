package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the prompt comes from: {@code -p TEXT}, {@code -p -} for stdin, or {@code --prompt-file F}; exactly one. */
final class PromptOptions {
    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "The prompt; '-' reads it from stdin.")
    String text;

    @Option(names = "--prompt-file", paramLabel = "FILE", description = "Read the prompt from a UTF-8 file.")
    Path file;

    String read(CliIo io) {
        if (text != null && file != null) {
            throw new KvasirException("give the prompt either with -p or with --prompt-file, not both");
        }
        if (file != null) {
            return readFile(file, io);
        }
        if (text == null) {
            throw new KvasirException("no prompt: pass -p TEXT, -p - (stdin) or --prompt-file FILE");
        }
        if (text.equals("-")) {
            try {
                return new String(io.in().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new KvasirException("cannot read the prompt from stdin: " + describe(e));
            }
        }
        return text;
    }

    /** True when a prompt was given at all (commands where it is optional). */
    boolean given() {
        return text != null || file != null;
    }

    static String readFile(Path file, CliIo io) {
        return readFile(file, io, "prompt file");
    }

    /** A UTF-8 text file; {@code what} names it in the error ("prompt file", "messages file"). */
    static String readFile(Path file, CliIo io, String what) {
        Path path = io.workingDir().resolve(file);
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KvasirException("cannot read " + what + " " + path + ": " + describe(e));
        }
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.charset.CharacterCodingException ? "not valid UTF-8"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
