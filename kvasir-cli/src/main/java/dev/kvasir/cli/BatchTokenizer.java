package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.json.Json;
import dev.kvasir.json.JsonException;
import dev.kvasir.tokenizer.Tokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * {@code kvasir tokenize --batch}: stdin holds one JSON string per line (so texts may contain newlines),
 * stdout gets one JSON array of ids per line, in order and flushed per line so a caller can pipeline.
 * The first bad line stops the run with an error naming it; the lines before it have been answered.
 */
record BatchTokenizer(Tokenizer tokenizer, boolean addSpecial, boolean parseSpecial) {

    void run(CliIo io) {
        BufferedReader in = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
        int lineNumber = 0;
        for (String line = readLine(in); line != null; line = readLine(in)) {
            lineNumber++;
            int[] ids = tokenizer.encode(text(line, lineNumber), addSpecial, parseSpecial);
            io.out().println(Json.write(ids));
            io.out().flush();
        }
    }

    private static String text(String line, int lineNumber) {
        Object value;
        try {
            value = Json.parse(line);
        } catch (JsonException e) {
            throw new KvasirException("stdin line " + lineNumber + ": " + e.getMessage()
                    + "; give one JSON string per line, e.g. \"Hello\\nworld\"");
        }
        if (!(value instanceof String text)) {
            throw new KvasirException("stdin line " + lineNumber + ": expected a JSON string, found "
                    + kind(value) + "; give one JSON string per line");
        }
        return text;
    }

    private static String kind(Object value) {
        return switch (value) {
            case null -> "null";
            case Boolean b -> "a boolean";
            case Number n -> "a number";
            case java.util.List<?> l -> "an array";
            default -> "an object";
        };
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new KvasirException("cannot read stdin: " + e.getMessage());
        }
    }
}
