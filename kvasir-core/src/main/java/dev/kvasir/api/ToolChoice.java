package dev.kvasir.api;

/** Whether a chat answer may, must or must not call one of {@link Params#tools()} (OpenAI's {@code tool_choice}). */
public enum ToolChoice {
    /** The model decides: a plain answer or calls. */
    AUTO,
    /** The tools are not offered: a plain answer. */
    NONE,
    /** The answer is one or more calls, enforced while sampling. */
    REQUIRED
}
