package dev.kvasir.template;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * A parsed Jinja2 template, rendered with the semantics of Hugging Face transformers' chat-template
 * environment (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, json.dumps tojson,
 * raise_exception, strftime_now). Immutable and thread-safe: each render uses fresh state.
 */
public final class Template {
    private final Source source;
    private final List<Stmt> body;

    private Template(Source source, List<Stmt> body) {
        this.source = source;
        this.body = body;
    }

    /** Parses a template; syntax errors are {@link TemplateException}s naming line:column. */
    public static Template parse(String text) {
        Source source = Source.of(text);
        try {
            return new Template(source, TemplateParser.parse(source));
        } catch (StackOverflowError e) {
            throw new TemplateException("chat template: syntax error: expressions nested too deeply to parse");
        }
    }

    /** Renders with the given variables (Java maps, lists, strings, numbers, booleans, null = None). */
    public String render(Map<String, ?> variables) {
        return render(variables, Clock.systemDefaultZone());
    }

    /** As {@link #render(Map)}, with {@code strftime_now} reading {@code clock} (fixed in tests). */
    public String render(Map<String, ?> variables, Clock clock) {
        Scope globals = new Scope(null);
        Globals.install(globals, clock);
        Scope top = new Scope(globals);
        variables.forEach((k, v) -> top.set(k, Py.fromJava(v)));
        StringBuilder out = new StringBuilder();
        try {
            new Renderer(new Evaluator(source)).render(body, top, out);
        } catch (StackOverflowError e) {
            throw new TemplateException("chat template: RecursionError: maximum recursion depth exceeded while rendering");
        }
        return out.toString();
    }
}
