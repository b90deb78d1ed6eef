package dev.kvasir.cli;

import dev.kvasir.workflow.DocumentCacher;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows prefill progress on stderr: a redrawn bar on a terminal, else one plain line per checkpoint
 * (logs and pipes get a readable history instead of carriage returns).
 */
final class ProgressReporter implements DocumentCacher.Listener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean terminal;
    private boolean drawn;

    ProgressReporter(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    static boolean stderrIsTerminal(CliIo io) {
        var console = System.console();
        return io.err() != null && console != null && console.isTerminal() && io.env() == System.getenv();
    }

    @Override
    public void onProgress(DocumentCacher.Progress p, boolean checkpointed) {
        if (terminal) {
            err.print("\r" + bar(p) + " " + numbers(p));
            drawn = true;
        } else if (checkpointed) {
            err.println("cache-prompt: " + numbers(p) + ", checkpoint saved");
        }
        err.flush();
    }

    /** Ends a drawn bar's line so that the next output starts on a fresh one. */
    void finish() {
        if (drawn) {
            err.println();
            drawn = false;
        }
    }

    private static String bar(DocumentCacher.Progress p) {
        int filled = p.total() == 0 ? WIDTH : (int) ((long) WIDTH * p.done() / p.total());
        return "[" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "]";
    }

    private static String numbers(DocumentCacher.Progress p) {
        double eta = p.etaSeconds();
        return String.format(Locale.ROOT, "%d/%d tokens (%d%%), %.0f tokens/s, ETA %s", p.done(), p.total(),
                p.total() == 0 ? 100 : 100L * p.done() / p.total(), p.tokensPerSecond(),
                eta < 0 ? "?" : String.format(Locale.ROOT, "%.0f s", eta));
    }
}
