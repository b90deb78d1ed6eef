package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.cache.PromptCache;
import dev.kvasir.generate.GenerationResult;
import dev.kvasir.generate.Generator;
import dev.kvasir.workflow.CacheIdentity;
import dev.kvasir.workflow.CacheKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.stream.IntStream;
import picocli.CommandLine.Option;

/**
 * {@code generate --cache DOC.kvc [--save | --save-as NEW.kvc]}: continue from a cached prompt,
 * computing only the tokens the cache does not hold, and optionally persist the result.
 *
 * <p>Token rule: a cache that stores its text (a document) is extended by tokenizing text + prompt in
 * one go, as a from-scratch run would, and reusing the longest common prefix of ids; other caches
 * (chat, generation) hold ids only, so the prompt is tokenized on its own and appended.
 */
final class GenerateCacheOptions {
    @Option(names = "--cache", paramLabel = "DOC.kvc", description = "Continue from this prompt cache; -p is the text after it.")
    Path cache;

    @Option(names = "--save", description = "With --cache: append the prompt and generated tokens to the cache file.")
    boolean save;

    @Option(names = "--save-as", paramLabel = "NEW.kvc", description = "With --cache: write the extended cache to a new file (a fork).")
    Path saveAs;

    boolean active() {
        return cache != null;
    }

    Path cachePath(CliIo io) {
        return cache == null ? null : io.workingDir().resolve(cache);
    }

    void validate(CliIo io) {
        if (cache == null && (save || saveAs != null)) {
            throw new KvasirException("--save and --save-as need --cache FILE.kvc");
        }
        if (save && saveAs != null) {
            throw new KvasirException("give either --save or --save-as, not both");
        }
        if (saveAs != null) {
            CacheFiles.checkWritable(io.workingDir().resolve(saveAs));
        }
        if (save) {
            CacheFiles.checkWritable(cachePath(io));
        }
    }

    PromptPlan plan(Generator generator, String suffix, CliIo io) {
        Path path = cachePath(io);
        long start = System.nanoTime();
        PromptCache pc = CacheFiles.load(path, CacheIdentity.of(generator.model()), io);
        double loadMillis = (System.nanoTime() - start) / 1e6;
        markUsed(path);
        String stored = pc.metadata().get(CacheKeys.TEXT);
        int[] full = stored != null ? generator.tokenize(stored + suffix) : concat(pc.tokens(),
                generator.tokenizer().encode(suffix, false, false));
        if (full.length == 0) {
            throw new KvasirException(path + ": the cache is empty and so is the prompt; give a prompt with -p");
        }
        int cached = pc.reuse(full);
        return new PromptPlan(Arrays.copyOfRange(full, cached, full.length), pc.cache(), pc, cached, loadMillis,
                stored == null ? null : stored + suffix);
    }

    /** With --save or --save-as, records what the generation fed to the cache and writes it. */
    Path persist(PromptPlan plan, GenerationResult result, CliIo io) {
        if (!save && saveAs == null) {
            return null;
        }
        PromptCache pc = plan.promptCache();
        int fed = pc.cache().size() - pc.size();
        int[] sequence = concat(plan.input(), result.generatedTokens());
        pc.accepted(Arrays.copyOf(sequence, fed));
        if (plan.fullText() != null) {
            pc.putMetadata(CacheKeys.TEXT, plan.fullText() + result.text());
            pc.putMetadata(CacheKeys.TEXT_TOKENS, Integer.toString(pc.size()));
        }
        Path target = saveAs != null ? io.workingDir().resolve(saveAs) : cachePath(io);
        pc.save(target);
        return target;
    }

    private static int[] concat(int[] a, int[] b) {
        return IntStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
    }

    /** Records the use for 'kvasir cache gc' (least recently used first) in the modification time; see StoredCache.lastUsed. */
    static void markUsed(Path path) {
        try {
            Files.setLastModifiedTime(path, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (java.io.IOException e) {
            // a read-only cache stays usable; only gc's ordering is affected
        }
    }
}
