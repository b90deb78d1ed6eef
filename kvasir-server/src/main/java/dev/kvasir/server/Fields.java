package dev.kvasir.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed, strict access to the fields of a JSON request: a field of the wrong type or out of range is
 * a 400 naming the field, never a silent default or a 500.
 */
final class Fields {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ObjectNode node;

    private Fields(ObjectNode node) {
        this.node = node;
    }

    static Fields parse(byte[] body) {
        if (body.length == 0) {
            throw ApiException.invalid(null, "empty request body: send a JSON object");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.invalid(null, JsonSyntaxError.describe(e));
        } catch (IOException e) {
            throw ApiException.invalid(null, "request body could not be read: " + e.getMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw ApiException.invalid(null, "request body must be a JSON object, got " + kind(root));
        }
        return new Fields(object);
    }

    static Fields of(ObjectNode node) {
        return new Fields(node);
    }

    boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    JsonNode raw(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    Optional<String> string(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw wrongType(name, "a string", v);
        }
        return Optional.of(v.textValue());
    }

    String requiredString(String name) {
        return string(name).orElseThrow(() -> ApiException.missing(name));
    }

    Optional<Boolean> bool(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw wrongType(name, "true or false", v);
        }
        return Optional.of(v.booleanValue());
    }

    Optional<Long> integer(String name, long min, long max) {
        JsonNode v = raw(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(name, "an integer", v);
        }
        long x = v.longValue();
        if (x < min || x > max) { // OpenAI's codes for out-of-range integers
            throw outOfRange(name, x < min ? "integer_below_min_value" : "integer_above_max_value",
                    "'" + name + "' must be between " + min + " and " + max + ", got " + x);
        }
        return Optional.of(x);
    }

    Optional<Double> number(String name, double min, double max) {
        JsonNode v = raw(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isNumber()) {
            throw wrongType(name, "a number", v);
        }
        double x = v.doubleValue();
        if (!(x >= min && x <= max)) {
            throw outOfRange(name, x < min ? "decimal_below_min_value" : "decimal_above_max_value",
                    "'" + name + "' must be between " + min + " and " + max + ", got " + x);
        }
        return Optional.of(x);
    }

    Optional<Fields> object(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof ObjectNode o)) {
            throw wrongType(name, "an object", v);
        }
        return Optional.of(new Fields(o));
    }

    /** A string or an array of strings (OpenAI's {@code stop}). */
    List<String> strings(String name, int maxCount) {
        JsonNode v = raw(name);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v.isTextual()) {
            out.add(v.textValue());
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    throw wrongType(name, "a string or an array of strings", e);
                }
                out.add(e.textValue());
            }
        } else {
            throw wrongType(name, "a string or an array of strings", v);
        }
        if (out.size() > maxCount) {
            throw ApiException.invalid(name, "'" + name + "' takes at most " + maxCount + " entries, got " + out.size());
        }
        return out;
    }

    private static ApiException outOfRange(String name, String code, String message) {
        return new ApiException(400, "invalid_request_error", code, name, message);
    }

    static ApiException wrongType(String name, String expected, JsonNode got) {
        return ApiException.invalid(name, "'" + name + "' must be " + expected + ", got " + kind(got));
    }

    static String kind(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        return v.isArray() ? "an array" : "an object";
    }
}
