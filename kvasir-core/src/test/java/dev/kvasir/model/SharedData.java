package dev.kvasir.model;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The read-only models and llama.cpp references in {@code ../shared}; tests skip when it is absent. */
final class SharedData {
    private SharedData() {
    }

    /** {@code shared/models/NAME}, found by walking up from the working directory; skips the test when absent. */
    static Path model(String name) {
        return file("models/" + name);
    }

    static Path reference(String name) {
        return file("reference/" + name);
    }

    private static Path file(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        assumeTrue(false, "shared/" + relative + " not found above " + Path.of("").toAbsolutePath()
                + ": skipping (the shared test data lives next to the repository)");
        throw new AssertionError("unreachable");
    }

    /** The plain (escape-free) string {@code "field": "..."} of a reference JSON file. */
    static String stringField(Path json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"\\\\]*)\"").matcher(read(json));
        if (!m.find()) {
            throw new AssertionError(json + " has no plain string field '" + field + "'");
        }
        return m.group(1);
    }

    private static String read(Path json) {
        try {
            return Files.readString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The integer array {@code "field": [ ... ]} of a llama.cpp reference JSON file. */
    static int[] intArray(Path json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(read(json));
        if (!m.find()) {
            throw new AssertionError(json + " has no array field '" + field + "'");
        }
        String body = m.group(1).trim();
        if (body.isEmpty()) {
            return new int[0];
        }
        String[] parts = body.split(",");
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Integer.parseInt(parts[i].trim());
        }
        return values;
    }
}
