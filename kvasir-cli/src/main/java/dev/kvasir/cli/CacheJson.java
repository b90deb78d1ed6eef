package dev.kvasir.cli;

import java.nio.file.Path;
import java.util.Locale;

/** What {@code generate --cache} reports: tokens taken from the cache and evaluated, load time, time to first token. */
record CacheJson(String file, int cachedTokens, int evaluatedTokens, double loadMs, double timeToFirstTokenMs,
                 String savedTo) {

    static CacheJson of(Path file, PromptPlan plan, double ttftMillis, Path saved) {
        return new CacheJson(file.toString(), plan.cachedTokens(), plan.input().length,
                plan.loadMillis(), ttftMillis, saved == null ? null : saved.toString());
    }

    String describe() {
        return String.format(Locale.ROOT, "cache:      %5d tokens cached, %d evaluated; loaded in %.1f ms, first token after %.1f ms%s",
                cachedTokens, evaluatedTokens, loadMs, timeToFirstTokenMs, savedTo == null ? "" : "; saved to " + savedTo);
    }
}
