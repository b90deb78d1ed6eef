package dev.kvasir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs {@link Main} in-process with captured stdout/stderr, a given stdin, environment and directories. */
final class Cli {
    static final ObjectMapper JSON = new ObjectMapper();

    private String stdin = "";
    private final Map<String, String> env = new HashMap<>();
    private Path workingDir = Path.of("").toAbsolutePath();
    private Path installDir;
    private boolean stdoutClosed;

    record Result(int exitCode, String out, String err) {}

    Cli stdin(String text) {
        stdin = text;
        return this;
    }

    Cli env(String key, String value) {
        env.put(key, value);
        return this;
    }

    Cli workingDir(Path dir) {
        workingDir = dir;
        return this;
    }

    Cli installDir(Path dir) {
        installDir = dir;
        return this;
    }

    /** Stdout fails every write, like a pipe whose reader has gone. */
    Cli stdoutClosed() {
        stdoutClosed = true;
        return this;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Writer stdout = stdoutClosed ? new FailingWriter() : out;
        CliIo io = new CliIo(new PrintWriter(stdout), new PrintWriter(err),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env, workingDir, installDir);
        int code = Main.run(args, io);
        return new Result(code, out.toString(), err.toString());
    }

    private static final class FailingWriter extends Writer {
        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            throw new IOException("Broken pipe");
        }

        @Override
        public void flush() throws IOException {
            throw new IOException("Broken pipe");
        }

        @Override
        public void close() {}
    }

    static Result exec(String... args) {
        return new Cli().run(args);
    }

    /** The JSON a successful command printed. */
    static JsonNode json(Result r) throws IOException {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
