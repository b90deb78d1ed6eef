package dev.kvasir.template;

import dev.kvasir.KvasirException;

/**
 * A chat template could not be parsed or failed while rendering (including the template's own
 * {@code raise_exception(...)}). The message names the template position (line:column) and the cause.
 */
public class TemplateException extends KvasirException {
    public TemplateException(String message) {
        super(message);
    }
}
