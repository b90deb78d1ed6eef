package dev.kvasir.template;

/**
 * A Python-level error raised while evaluating (TypeError, UndefinedError, TemplateError, ...).
 * Internal: the evaluator attaches the template position and rethrows it as a {@link TemplateException}.
 */
final class PyError extends RuntimeException {
    PyError(String pythonType, String message) {
        super(pythonType + ": " + message, null, false, false);
    }

    static PyError type(String message) {
        return new PyError("TypeError", message);
    }

    static PyError value(String message) {
        return new PyError("ValueError", message);
    }
}
