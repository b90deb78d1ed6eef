package dev.kvasir.cli;

import static dev.kvasir.cli.CacheBadInputTest.assertOneLineError;
import static dev.kvasir.cli.Workflows.DOC;
import static dev.kvasir.cli.Workflows.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destinations that refuse writes even to root: a full filesystem and a read-only one, each a small
 * tmpfs mounted for the test (skipped where mounting is not allowed). Saving gives one clear line and
 * leaves the existing cache file byte for byte as it was, and no temp file behind.
 */
class CacheDestinationTest {
    @TempDir
    Path tmp;
    private final List<Path> mounts = new ArrayList<>();
    private byte[] docBytes;

    @BeforeEach
    void cacheADocument() throws IOException {
        Path doc = tmp.resolve("doc.kvc");
        Workflows.assertSuccess(Cli.exec("cache-prompt", "-m", model(), "-p", DOC, "--cache", doc.toString()));
        docBytes = Files.readAllBytes(doc);
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path m : mounts) {
            run("umount", m.toString());
        }
    }

    @Test
    void fullDestination() throws Exception {
        Path dir = mount("full", "size=" + (docBytes.length + 64 * 1024));
        Path doc = Files.write(dir.resolve("doc.kvc"), docBytes);
        fill(dir);

        Cli.Result append = Cli.exec("generate", "--cache", doc.toString(), "-p", " and then they played all day", "-n", "8",
                "--temp", "0", "--save");
        assertOneLineError(append, "doc.kvc");
        assertThat(Files.readAllBytes(doc)).isEqualTo(docBytes);

        Path fork = dir.resolve("fork.kvc");
        Cli.Result saveAs = Cli.exec("generate", "--cache", doc.toString(), "-p", " and then", "-n", "8", "--temp", "0",
                "--save-as", fork.toString());
        assertOneLineError(saveAs, "fork.kvc");
        assertThat(Files.readAllBytes(doc)).isEqualTo(docBytes);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("doc.kvc", "filler");
        }
    }

    @Test
    void readOnlyDestination() throws Exception {
        Path dir = mount("ro", "size=" + (docBytes.length + 64 * 1024));
        Path doc = Files.write(dir.resolve("doc.kvc"), docBytes);
        assumeTrue(run("mount", "-o", "remount,ro", dir.toString()) == 0, "cannot remount read-only here");

        Cli.Result append = Cli.exec("generate", "--cache", doc.toString(), "-p", " and then", "-n", "8", "--temp", "0", "--save");
        assertOneLineError(append, "doc.kvc");
        assertThat(Files.readAllBytes(doc)).isEqualTo(docBytes);
    }

    private Path mount(String name, String options) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path dir = Files.createDirectories(tmp.resolve(name));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()) == 0, "cannot mount a tmpfs here");
        mounts.add(dir);
        return dir;
    }

    /** Takes every free byte, so the next write fails with "no space left". */
    private static void fill(Path dir) {
        try (var out = Files.newOutputStream(dir.resolve("filler"))) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // the filesystem is full now
        }
    }

    private static int run(String... command) throws Exception {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }
}
