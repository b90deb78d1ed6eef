package dev.kvasir.cli;

import dev.kvasir.workflow.CacheKeys;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kvasir cache info F}: what a cache file holds. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a cache file's model, kind, tokens, size and metadata.")
final class CacheInfoCommand implements Callable<Integer> {
    private static final int SHOWN_TEXT = 60;
    private final CliIo io;

    @Parameters(paramLabel = "FILE.kvc")
    Path file;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    CacheInfoCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        StoredCache c = StoredCache.open(file, io);
        var model = c.header().model();
        var report = c.cache().loadReport();
        if (json) {
            io.out().println(Json.write(new InfoJson(c.path().toString(), c.cache().metadata().get(CacheKeys.MODEL_FILE),
                    model.fingerprint(), model.architecture(), c.kind(), c.tokens(), c.bytes(), c.bytesPerToken(),
                    report.checkpoints(), report.ignoredBytes(), c.cache().metadata(), model.layout().kindLabels(),
                    c.layers())));
            return 0;
        }
        var out = io.out();
        out.println("file:            " + c.path());
        out.println("model:           " + c.cache().metadata().getOrDefault(CacheKeys.MODEL_FILE, "(not recorded)"));
        out.println("fingerprint:     " + model.fingerprint() + " (" + model.architecture() + ")");
        out.println("kind:            " + c.kind());
        out.println("layers:          " + c.layers());
        out.println("tokens:          " + c.tokens());
        out.printf(Locale.ROOT, "bytes:           %d (%.1f per token)%n", c.bytes(), c.bytesPerToken());
        out.println("checkpoints:     " + report.checkpoints() + (report.intact() ? ""
                : "; " + report.ignoredBytes() + " bytes of torn tail ignored (" + report.problem() + ")"));
        shown(c.cache().metadata()).forEach((k, v) -> out.println("metadata:        " + k + " = " + v));
        return 0;
    }

    /** Long values (a cached document's text) shortened to one readable line. */
    private static Map<String, String> shown(Map<String, String> metadata) {
        Map<String, String> out = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            String line = v.replace("\n", "\\n");
            out.put(k, line.length() <= SHOWN_TEXT ? line
                    : line.substring(0, SHOWN_TEXT) + "... (" + v.length() + " characters)");
        });
        return out;
    }

    record InfoJson(String file, String modelFile, String fingerprint, String architecture, String kind, int tokens,
                    long bytes, double bytesPerToken, int checkpoints, long ignoredBytes, Map<String, String> metadata,
                    String layerKinds, String layers) {}
}
