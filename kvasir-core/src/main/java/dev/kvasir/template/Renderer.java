package dev.kvasir.template;

import dev.kvasir.template.Stmt.Target;
import java.util.ArrayList;
import java.util.List;

/** Executes statements, appending output; implements Jinja2's loop and assignment scoping. */
final class Renderer {
    /** Control flow for {% break %} / {% continue %} (loopcontrols extension); no stack traces needed. */
    private static final class LoopSignal extends RuntimeException {
        private LoopSignal() {
            super(null, null, false, false);
        }
    }

    private static final LoopSignal BREAK = new LoopSignal();
    private static final LoopSignal CONTINUE = new LoopSignal();

    private final Evaluator evaluator;

    Renderer(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    Evaluator evaluator() {
        return evaluator;
    }

    void render(List<Stmt> body, Scope scope, StringBuilder out) {
        for (Stmt stmt : body) {
            exec(stmt, scope, out);
        }
    }

    private void exec(Stmt stmt, Scope scope, StringBuilder out) {
        switch (stmt) {
            case Stmt.Text t -> out.append(t.text());
            case Stmt.Print p -> out.append(PyFormat.str(evaluator.eval(p.value(), scope)));
            case Stmt.If i -> execIf(i, scope, out);
            case Stmt.For f -> execFor(f, scope, out);
            case Stmt.Set s -> assign(s.pos(), s.target(), evaluator.eval(s.value(), scope), scope);
            case Stmt.SetBlock s -> {
                StringBuilder body = new StringBuilder();
                render(s.body(), new Scope(scope), body);
                assign(s.pos(), s.target(), applyFilters(s.filters(), body.toString(), scope), scope);
            }
            case Stmt.Macro m -> scope.set(m.name(), new Macro(m.name(), m.params(), m.defaults(), m.body(), scope,
                    this));
            case Stmt.CallBlock c -> {
                Macro caller = new Macro("caller", c.params(), c.defaults(), c.body(), scope, this);
                Object callee = evaluator.eval(c.call().callee(), scope);
                try {
                    out.append(PyFormat.str(evaluator.call(callee, c.call().args(), scope, caller)));
                } catch (PyError e) {
                    throw evaluator.error(c.pos(), e);
                }
            }
            case Stmt.With w -> {
                Scope inner = new Scope(scope);
                for (int i = 0; i < w.targets().size(); i++) {
                    assign(0, w.targets().get(i), evaluator.eval(w.values().get(i), scope), inner);
                }
                render(w.body(), inner, out);
            }
            case Stmt.FilterBlock f -> {
                StringBuilder body = new StringBuilder();
                render(f.body(), scope, body);
                out.append(PyFormat.str(applyFilters(f.filters(), body.toString(), scope)));
            }
            case Stmt.Break b -> throw BREAK;
            case Stmt.Continue c -> throw CONTINUE;
        }
    }

    private void execIf(Stmt.If i, Scope scope, StringBuilder out) {
        for (int k = 0; k < i.tests().size(); k++) {
            if (Py.truthy(evaluator.eval(i.tests().get(k), scope))) {
                render(i.bodies().get(k), scope, out);
                return;
            }
        }
        render(i.otherwise(), scope, out);
    }

    private void execFor(Stmt.For f, Scope scope, StringBuilder out) {
        List<Object> items;
        try {
            items = Py.iterate(evaluator.eval(f.iterable(), scope));
        } catch (PyError e) {
            throw evaluator.error(f.iterable().pos(), e);
        }
        if (f.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                Scope probe = new Scope(scope);
                assign(f.pos(), f.target(), item, probe);
                if (Py.truthy(evaluator.eval(f.filter(), probe))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        if (items.isEmpty()) {
            render(f.otherwise(), scope, out);
            return;
        }
        LoopContext loop = new LoopContext(items);
        for (int i = 0; i < items.size(); i++) {
            Scope iteration = new Scope(scope); // Jinja2: assignments in the body stay in this iteration
            assign(f.pos(), f.target(), items.get(i), iteration);
            loop.advance(i);
            iteration.set("loop", loop);
            try {
                render(f.body(), iteration, out);
            } catch (LoopSignal signal) {
                if (signal == BREAK) {
                    break;
                }
            }
        }
    }

    private Object applyFilters(List<Expr.Filter> filters, Object value, Scope scope) {
        Object current = value;
        for (Expr.Filter f : filters) {
            Scope holder = new Scope(scope);
            holder.set(" value", current);
            current = evaluator.eval(new Expr.Filter(f.pos(), new Expr.Name(f.pos(), " value"), f.name(), f.args()),
                    holder);
        }
        return current;
    }

    private void assign(int pos, Target target, Object value, Scope scope) {
        try {
            switch (target) {
                case Target.Name n -> scope.set(n.name(), value);
                case Target.Attr a -> {
                    Object ns = scope.lookup(a.object());
                    if (!(ns instanceof Namespace namespace)) {
                        throw new PyError("TemplateRuntimeError", "cannot assign attribute on non-namespace object");
                    }
                    namespace.attributes.put(a.attribute(), value);
                }
                case Target.Unpack u -> {
                    if (!(value instanceof List || value instanceof PyTuple || value instanceof String
                            || value instanceof java.util.Map)) {
                        throw PyError.type("cannot unpack non-iterable " + Py.typeName(value) + " object");
                    }
                    List<Object> items = Py.iterate(value);
                    if (items.size() != u.names().size()) {
                        throw PyError.value(items.size() < u.names().size()
                                ? "not enough values to unpack (expected " + u.names().size() + ", got " + items.size() + ")"
                                : "too many values to unpack (expected " + u.names().size() + ")");
                    }
                    for (int i = 0; i < items.size(); i++) {
                        assign(pos, u.names().get(i), items.get(i), scope);
                    }
                }
            }
        } catch (PyError e) {
            throw evaluator.error(pos, e);
        }
    }
}
