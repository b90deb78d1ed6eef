package dev.kvasir.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One clean line for a request body Jackson cannot parse: where and what, in JSON's terms. Jackson's
 * own messages name its classes, features and token enums ("bound as `...JsonNode`",
 * "[Source: REDACTED ...]", "VALUE_STRING"), which mean nothing to a client.
 */
final class JsonSyntaxError {
    private static final Pattern SOURCE = Pattern.compile("\\s*\\(for (\\w+) starting at \\[Source:[^]]*]\\)");
    private static final Pattern CODE = Pattern.compile(" \\(code \\d+\\)");
    private static final Pattern CTRL = Pattern.compile("\\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
    private static final Pattern ENABLE = Pattern.compile(": enable `[^`]*` to allow");
    private static final Map<String, String> TOKENS = Map.of("START_OBJECT", "'{'", "END_OBJECT", "'}'",
            "START_ARRAY", "'['", "END_ARRAY", "']'", "VALUE_STRING", "a string", "FIELD_NAME", "a field name");

    private JsonSyntaxError() {}

    static String describe(JacksonException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return "request body is not valid JSON" + where + ": " + what(e);
    }

    private static String what(JacksonException e) {
        if (e instanceof StreamConstraintsException) {
            return "nested too deeply, or a number or string is too long";
        }
        if (e instanceof JsonEOFException) {
            return "the body ends before the JSON value is complete";
        }
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
        if (m.startsWith("Trailing token")) {
            return "more data follows the JSON object; send exactly one object";
        }
        m = SOURCE.matcher(m).replaceAll(" (for the $1 opened before)");
        m = CTRL.matcher(m).replaceAll(r -> "(control character " + String.format("U+%04X", Integer.parseInt(r.group(1))) + ")");
        m = CODE.matcher(m).replaceAll("");
        m = ENABLE.matcher(m).replaceAll(" (not JSON)");
        for (var t : TOKENS.entrySet()) {
            m = m.replace(t.getKey(), t.getValue());
        }
        // anything still naming Jackson's internals is replaced, not shown
        return m.isBlank() || m.contains("`") || m.contains("[Source") || m.contains("jackson") ? "malformed JSON" : m;
    }
}
