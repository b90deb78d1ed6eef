package dev.kvasir.cache;

/**
 * What loading a .kvc file found.
 *
 * @param checkpoints  complete, valid checkpoints replayed
 * @param tokens       tokens the loaded cache represents
 * @param ignoredBytes bytes after the last valid checkpoint that were ignored (a torn or corrupt tail)
 * @param problem      why they were ignored, or null when the file was intact
 */
public record LoadReport(int checkpoints, int tokens, long ignoredBytes, String problem) {
    public boolean intact() {
        return ignoredBytes == 0;
    }

    @Override
    public String toString() {
        return checkpoints + " checkpoints, " + tokens + " tokens"
                + (intact() ? "" : "; ignored " + ignoredBytes + " bytes of torn/corrupt tail: " + problem);
    }
}
