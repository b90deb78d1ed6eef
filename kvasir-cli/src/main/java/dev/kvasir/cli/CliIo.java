package dev.kvasir.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The process environment a command sees, injected so that tests can run {@link Main} in-process
 * with captured output, their own stdin, environment variables and working directory.
 */
public record CliIo(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env, Path workingDir,
                    Path installDir /* the checkout holding bin/, or null when unknown */) {

    /** The real process: UTF-8 output whatever the platform encoding, since model text is Unicode. */
    static CliIo system() {
        return new CliIo(utf8Writer(FileDescriptor.out), utf8Writer(FileDescriptor.err), System.in, System.getenv(),
                Path.of("").toAbsolutePath(), ModelLocator.installDir().orElse(null));
    }

    private static PrintWriter utf8Writer(FileDescriptor fd) {
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), false);
    }
}
