package dev.kvasir.server;

import dev.kvasir.KvasirException;

/**
 * A request the server refuses, rendered as OpenAI's error object
 * {@code {"error":{"message","type","param","code"}}} with {@code status}. The message is one line
 * saying what is wrong and what to do, like every {@link KvasirException}.
 */
public final class ApiException extends KvasirException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiException(int status, String type, String code, String param, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    public static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", "invalid_value", param, message);
    }

    public static ApiException missing(String param) {
        return new ApiException(400, "invalid_request_error", "missing_required_parameter", param,
                "missing required parameter '" + param + "'");
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "invalid_request_error", "invalid_api_key", null,
                "missing or wrong API key: send the server's key as 'Authorization: Bearer KEY'");
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "invalid_request_error", "not_found", null, message);
    }

    public static ApiException tooLarge(long limit) {
        return new ApiException(413, "invalid_request_error", "request_too_large", null,
                "request body is larger than the server's limit of " + limit + " bytes");
    }

    public static ApiException overloaded(String message) {
        return new ApiException(503, "server_error", "server_overloaded", null, message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
