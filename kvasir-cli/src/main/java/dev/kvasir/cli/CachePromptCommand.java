package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.compose.Segments;
import dev.kvasir.generate.Generator;
import dev.kvasir.workflow.CacheIdentity;
import dev.kvasir.workflow.CacheKeys;
import dev.kvasir.workflow.DocumentCacher;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kvasir cache-prompt}: computes the KV cache of a long text into a .kvc file in chunks, with
 * checkpoints; re-running after a kill continues from the last checkpoint, and {@code --append-file}
 * extends a finished cache. The cache stores the text; the tokens are always those of the whole text
 * tokenized in one go, and whatever prefix of them the file already holds is reused.
 */
@Command(name = "cache-prompt", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prefill a long text into a .kvc cache file in chunks, with resumable checkpoints.")
final class CachePromptCommand extends ModelCommand {
    @Option(names = "--cache", paramLabel = "OUT.kvc", required = true, description = "The cache file to create, resume or extend.")
    Path cacheFile;

    @Option(names = "--append-file", paramLabel = "FILE", description = "Extend the cached text with this file's text.")
    Path appendFile;

    @Option(names = "--after", paramLabel = "PREFIX.kvc",
            description = "Cache the text as a document segment after this cached prefix (e.g. a system prompt), "
                    + "for 'kvasir compose'; the prefix's KV is copied, not recomputed.")
    Path after;

    @Option(names = "--chunk", paramLabel = "N", defaultValue = "512",
            description = "Tokens per forward pass; bounds activation memory (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "1024",
            description = "Append a checkpoint after about N computed tokens (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Mixin
    KvTypeOption kvType;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--json", description = "Print one JSON object with the result.")
    boolean json;

    CachePromptCommand(CliIo io) {
        super(io);
    }

    @Override
    public Integer call() {
        Path out = io.workingDir().resolve(cacheFile);
        if (prompt.given() && appendFile != null) {
            throw new KvasirException("give either a prompt (-p/--prompt-file) or --append-file, not both");
        }
        String given = prompt.given() ? prompt.read(io) : null;
        String more = appendFile == null ? null : PromptOptions.readFile(appendFile, io);
        Threads.configure(threads);
        CacheFiles.checkWritable(out);
        try (Generator generator = Generator.load(CacheModel.locate(common.model,
                after != null && !java.nio.file.Files.exists(out) ? io.workingDir().resolve(after) : out, io))) {
            var identity = CacheIdentity.of(generator.model());
            PromptCache prefix = after == null ? null : CacheFiles.load(io.workingDir().resolve(after), identity, io);
            PromptCache cache = prefix != null && !java.nio.file.Files.exists(out) ? prefix.fork()
                    : CacheFiles.loadOrCreate(out, identity, kvType.options(identity.layout()), io);
            if (prefix == null && cache.metadata().containsKey(Segments.PREFIX_TOKENS)) {
                throw new KvasirException(out + ": is a document segment after "
                        + cache.metadata().getOrDefault(Segments.AFTER, "a prefix cache") + "; pass --after with that prefix cache");
            }
            String text = text(cache, given, more, out, prefix != null);
            int[] ids = prefix == null ? generator.tokenize(text) : Segments.after(prefix.tokens(), generator, text);
            if (prefix != null) {
                Segments.mark(cache, prefix);
            }
            cache.putMetadata(CacheKeys.KIND, CacheKeys.DOCUMENT);
            cache.putMetadata(CacheKeys.MODEL_FILE, generator.model().gguf().path().toAbsolutePath().toString());
            cache.putMetadata(CacheKeys.TEXT, text);
            cache.putMetadata(CacheKeys.TEXT_TOKENS, Integer.toString(ids.length));
            ProgressReporter progress = new ProgressReporter(io.err(), ProgressReporter.stderrIsTerminal(io));
            DocumentCacher.Result r;
            try {
                r = new DocumentCacher(generator.model(), chunk, checkpointEvery).fill(cache, ids, out, progress);
            } finally {
                progress.finish();
            }
            report(r, out);
        }
        return 0;
    }

    /** The whole text the cache must hold: the given one, the stored one extended, or the stored one (resume). */
    private static String text(PromptCache cache, String given, String more, Path out, boolean freshSegment) {
        // a new segment starts as a fork of its prefix, whose stored text is the prefix's, not this document's
        String stored = freshSegment && cache.file() == null ? null : cache.metadata().get(CacheKeys.TEXT);
        if (more != null) {
            if (stored == null) {
                throw new KvasirException(out + ": " + (cache.file() == null ? "does not exist yet" : "holds no cached text")
                        + "; create it with -p or --prompt-file before using --append-file");
            }
            return stored + more;
        }
        if (given != null) {
            return given;
        }
        if (stored == null) {
            throw new KvasirException("no prompt: pass -p TEXT, -p - (stdin) or --prompt-file FILE"
                    + (cache.file() == null ? "" : " (" + out + " holds no text to resume)"));
        }
        return stored;
    }

    private void report(DocumentCacher.Result r, Path out) {
        long bytes = out.toFile().length();
        if (json) {
            io.out().println(Json.write(new CachePromptJson(out.toString(), r.total(), r.reused(), r.computed(),
                    r.checkpoints(), bytes, r.nanos() / 1e6)));
            return;
        }
        double seconds = r.nanos() / 1e9;
        io.err().printf(Locale.ROOT, "cached %d tokens in %s: %d reused, %d computed in %.1f s (%.0f tokens/s); "
                        + "%d checkpoints, %d bytes%n", r.total(), out, r.reused(), r.computed(), seconds,
                seconds > 0 ? r.computed() / seconds : 0, r.checkpoints(), bytes);
    }

    record CachePromptJson(String cache, int tokens, int reusedTokens, int computedTokens, int checkpoints, long bytes,
                           double millis) {}
}
