package dev.kvasir.template;

/**
 * Template source as Jinja2 sees it (all line breaks become \n, one trailing newline dropped) and
 * the mapping from offsets to line:column for error messages.
 */
record Source(String text) {
    static Source of(String raw) {
        String text = raw.replace("\r\n", "\n").replace('\r', '\n');
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1); // Jinja2's keep_trailing_newline=False
        }
        return new Source(text);
    }

    String position(int pos) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return line + ":" + (pos - lineStart + 1);
    }

    TemplateException syntaxError(int pos, String message) {
        return error(pos, "syntax error: " + message);
    }

    /** One-line message (newlines in template text or raise_exception messages are shown escaped). */
    TemplateException error(int pos, String message) {
        return new TemplateException("chat template " + position(pos) + ": " + message.replace("\n", "\\n"));
    }
}
