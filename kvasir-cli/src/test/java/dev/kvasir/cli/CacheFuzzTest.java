package dev.kvasir.cli;

import static dev.kvasir.cli.Workflows.DOC;
import static dev.kvasir.cli.Workflows.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kvasir.KvasirException;
import dev.kvasir.cache.PromptCache;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of damaged .kvc files through the commands a user runs ({@code cache verify}, {@code cache info},
 * {@code generate --cache}): truncations at every record boundary and inside records, zeroed ranges, appended junk
 * (including records with a valid CRC), and huge length and count fields. Every command either gives the undamaged
 * cache's answer (for a prefix of the file: that prefix, with the lost tokens recomputed from the stored text) or
 * fails with one clear line; none throws, hangs, or allocates more than the file could justify.
 */
class CacheFuzzTest {
    private static final long SEED = 0x6b76635f66757a7aL; // "kvc_fuzz"
    private static final String SUFFIX = " The end";
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;

    /** An undamaged cache of {@link Workflows#DOC} and what the commands answer for it. */
    record Fixture(String kvType, byte[] original, int[] tokens, List<Long> boundaries, JsonNode baseline,
                   long loadAllocation) {
        long header() {
            return boundaries.getFirst();
        }
    }

    /**
     * A damaged file, whether it is still a valid .kvc (a clean cut at a checkpoint boundary), and whether only
     * the model can tell that it is not (verify checks ids against the vocabulary; info reads no model).
     */
    record Damage(String name, byte[] bytes, boolean stillValid, boolean validWithoutModel) {
        Damage(String name, byte[] bytes, boolean stillValid) {
            this(name, bytes, stillValid, stillValid);
        }
    }

    static Fixture fixture(String kvType) throws IOException {
        Path doc = tmp.resolve(kvType + ".kvc");
        Workflows.assertSuccess(Cli.exec("cache-prompt", "-m", model(), "-p", DOC, "--cache", doc.toString(),
                "--chunk", "16", "--checkpoint-every", "32", "--kv-type", kvType));
        byte[] original = Files.readAllBytes(doc);
        List<Long> boundaries = boundaries(original);
        assertThat(boundaries).as("header + several checkpoints").hasSizeGreaterThan(4);
        return new Fixture(kvType, original, Workflows.tokens(doc), boundaries, generate(doc), allocatedLoading(doc));
    }

    @TestFactory
    Stream<DynamicContainer> damagedCachesGiveTheUndamagedAnswerOrOneClearLine() throws IOException {
        List<DynamicContainer> out = new ArrayList<>();
        for (String kvType : new String[] {"f16", "q4"}) {
            Fixture f = fixture(kvType);
            out.add(DynamicContainer.dynamicContainer(kvType, damages(f).stream().map(d -> DynamicTest.dynamicTest(d.name(),
                    () -> assertTimeoutPreemptively(BOUND, () -> check(f, d))))));
        }
        return out.stream();
    }

    private static void check(Fixture f, Damage d) throws IOException {
        Path file = Files.write(tmp.resolve("damaged.kvc"), d.bytes());
        String name = file.toString();
        int header = Math.toIntExact(f.header());
        boolean headerIntact = d.bytes().length >= header && Arrays.equals(d.bytes(), 0, header, f.original(), 0, header);

        // loading allocates what the file's records justify, never what a length field claims
        long allocated = allocatedLoading(file);
        assertThat(allocated).as("bytes allocated loading %s", d.name())
                .isLessThanOrEqualTo(f.loadAllocation() + d.bytes().length + (4 << 20));

        Cli.Result verify = Cli.exec("cache", "verify", name);
        if (d.stillValid()) {
            assertThat(verify.exitCode()).as(verify.err()).isZero();
            assertThat(verify.out()).contains(": ok, ");
        } else {
            assertOneLine(verify, "verify must name the damage");
        }

        Cli.Result info = Cli.exec("cache", "info", name, "--json");
        if (headerIntact) {
            JsonNode json = Cli.json(info);
            int tokens = json.get("tokens").asInt();
            boolean fakeRecord = d.validWithoutModel() && !d.stillValid(); // only the vocabulary tells its id is bogus
            assertThat(tokens).isLessThanOrEqualTo(f.tokens().length + (fakeRecord ? 1 : 0));
            int common = Math.min(tokens, f.tokens().length);
            assertThat(Arrays.copyOf(Workflows.tokens(file), common)).as("the cache loads as a prefix of the original")
                    .isEqualTo(Arrays.copyOf(f.tokens(), common));
            assertThat(json.get("ignored_bytes").asLong() == 0).as("damage reported").isEqualTo(d.validWithoutModel());
        } else {
            assertOneLine(info, "a damaged header is refused");
        }

        Cli.Result gen = Cli.exec("generate", "--cache", name, "-p", SUFFIX, "-n", "6", "--temp", "0", "--json");
        if (headerIntact) {
            JsonNode json = Cli.json(gen);
            assertThat(json.get("generated_token_ids")).as("same answer as the undamaged cache")
                    .isEqualTo(f.baseline().get("generated_token_ids"));
            assertThat(json.get("text")).isEqualTo(f.baseline().get("text"));
        } else {
            assertOneLine(gen, "a damaged header is refused");
        }
        assertThat(Files.readAllBytes(file)).as("no command changes the damaged file").isEqualTo(d.bytes());
    }

    /**
     * A checkpointed generation cut at every record boundary, inside every record, or with junk appended resumes
     * to exactly the uninterrupted run's tokens and text (each checkpoint carries the metadata of its own point),
     * or fails with one line (nothing before the prompt's checkpoint is left).
     */
    @TestFactory
    Stream<DynamicTest> damagedGenerationCheckpointsResumeExactlyOrFailInOneLine() throws IOException {
        String[] sampling = {"-p", "Once upon a time", "-n", "40", "--temp", "0.8", "--seed", "7", "--repeat-penalty", "1.1"};
        Path gen = tmp.resolve("gen.kvc");
        Workflows.assertSuccess(Cli.exec(concat(new String[] {"generate", "-m", model(), "--checkpoint", gen.toString(),
                "--checkpoint-every", "8"}, sampling)));
        JsonNode whole = Cli.json(Cli.exec(concat(new String[] {"generate", "-m", model(), "--json"}, sampling)));
        byte[] original = Files.readAllBytes(gen);
        List<Long> boundaries = boundaries(original);
        List<Damage> damages = new ArrayList<>();
        for (int i = 0; i < boundaries.size(); i++) {
            long b = boundaries.get(i);
            damages.add(new Damage("cut at boundary " + b, Arrays.copyOf(original, (int) b), i > 0));
            if (i + 1 < boundaries.size()) {
                long inside = b + (boundaries.get(i + 1) - b) / 2;
                damages.add(new Damage("cut inside record at " + inside, Arrays.copyOf(original, (int) inside), i > 0));
            }
        }
        damages.add(new Damage("junk appended", concat(original, "KVCK junk".getBytes()), true));
        return damages.stream().map(d -> DynamicTest.dynamicTest(d.name(), () -> assertTimeoutPreemptively(BOUND, () -> {
            Path file = Files.write(tmp.resolve("damaged.kvc"), d.bytes());
            Cli.Result r = Cli.exec("generate", "--resume", file.toString(), "--json");
            if (d.stillValid()) {
                JsonNode resumed = Cli.json(r);
                assertThat(resumed.get("generated_token_ids")).isEqualTo(whole.get("generated_token_ids"));
                assertThat(resumed.get("text")).isEqualTo(whole.get("text"));
            } else {
                assertOneLine(r, "nothing to resume from");
            }
        })));
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    private static void assertOneLine(Cli.Result r, String why) {
        assertThat(r.exitCode()).as(why + ": " + r.err()).isEqualTo(1);
        assertThat(r.err()).as(why).startsWith("kvasir: ").containsOnlyOnce("\n")
                .doesNotContain("\tat ", "Exception", "internal error").contains("damaged.kvc");
    }

    private static JsonNode generate(Path cache) throws IOException {
        return Cli.json(Cli.exec("generate", "--cache", cache.toString(), "-p", SUFFIX, "-n", "6", "--temp", "0", "--json"));
    }

    /** Bytes this thread allocates loading the file through the core API (a refusal is fine). */
    private static long allocatedLoading(Path file) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            PromptCache.load(file, PromptCache.readHeader(file).model());
        } catch (KvasirException refused) {
            // a refusal is an answer; only its cost is measured here
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    // ---- the damages -------------------------------------------------------------------------------------

    static List<Damage> damages(Fixture f) {
        byte[] original = f.original();
        int[] originalTokens = f.tokens();
        List<Long> boundaries = f.boundaries();
        Random random = new Random(SEED);
        List<Damage> out = new ArrayList<>();
        long header = boundaries.getFirst();
        for (long b : boundaries) {
            out.add(new Damage("cut at boundary " + b, Arrays.copyOf(original, (int) b), true));
        }
        for (long cut : new long[] {0, 7, 12, 20, header - 2}) {
            out.add(new Damage("cut in the header at " + cut, Arrays.copyOf(original, (int) cut), false));
        }
        for (int i = 0; i + 1 < boundaries.size(); i++) {
            long from = boundaries.get(i);
            long to = boundaries.get(i + 1);
            for (long cut : new long[] {from + 1, from + 15, from + 21, from + 1 + random.nextLong(to - from - 1)}) {
                out.add(new Damage("cut inside checkpoint " + i + " at " + cut, Arrays.copyOf(original, (int) cut), false));
            }
        }
        for (int i = 0; i < 12; i++) {
            int at = random.nextInt(original.length);
            int length = 1 + random.nextInt(i < 6 ? 8 : 256);
            byte[] b = original.clone();
            Arrays.fill(b, at, Math.min(b.length, at + length), (byte) 0);
            if (!Arrays.equals(b, original)) {
                out.add(new Damage("zeroed [" + at + ", +" + length + ")", b, false));
            }
        }
        byte[] junk = new byte[100];
        random.nextBytes(junk);
        out.add(new Damage("random junk appended", concat(original, junk), false));
        out.add(new Damage("one byte appended", concat(original, new byte[1]), false));
        out.add(new Damage("KVCK magic alone appended", concat(original, "KVCK".getBytes()), false));
        out.add(new Damage("last checkpoint appended again (valid CRC, wrong start)",
                concat(original, Arrays.copyOfRange(original, (int) (long) boundaries.get(boundaries.size() - 2), original.length)), false));
        out.add(new Damage("valid record appended claiming 2^31-1 tokens",
                concat(original, checkpoint(p -> p.putInt(originalTokens.length).putInt(Integer.MAX_VALUE))), false));
        out.add(new Damage("valid record appended with 2^30 metadata entries",
                concat(original, checkpoint(p -> p.putInt(originalTokens.length).putInt(0).putInt(1 << 30))), false));
        out.add(new Damage("valid record appended with a 2 GB metadata key",
                concat(original, checkpoint(p -> p.putInt(originalTokens.length).putInt(0).putInt(1).putInt(Integer.MAX_VALUE))), false));
        out.add(new Damage("valid record appended with 2^31-1 segments",
                concat(original, checkpoint(p -> p.putInt(originalTokens.length).putInt(0).putInt(-1).putInt(Integer.MAX_VALUE))), false));
        out.add(new Damage("valid record appended holding token id 60000 (vocabulary: 512)", concat(original, checkpoint(p -> {
            p.putInt(originalTokens.length).putInt(1).putInt(60000).putInt(-1).putInt(1).putInt(originalTokens.length).putInt(1);
            p.put(new byte[5 * 2 * 4 * 8 * 2]); // stories260K: 5 layers x (K, V) x 4 KV heads x head dim 8, F16
        })), false, f.kvType().equals("f16")));
        int last = (int) (long) boundaries.get(boundaries.size() - 2);
        for (long huge : new long[] {-1, Long.MAX_VALUE, 1L << 40, Integer.MAX_VALUE, original.length}) {
            byte[] b = original.clone();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(last + 8, huge);
            out.add(new Damage("last checkpoint's payload length " + huge, b, false));
        }
        for (int huge : new int[] {-1, Integer.MAX_VALUE, original.length}) {
            byte[] b = original.clone();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(12, huge);
            out.add(new Damage("header length " + huge, b, false));
        }
        for (int huge : new int[] {Integer.MAX_VALUE, -2, 1 << 28}) {
            byte[] b = original.clone();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(16, huge);
            fixHeaderCrc(b, original);
            out.add(new Damage("header entry count " + huge + " (CRC recomputed)", b, false));
        }
        byte[] b = original.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(20, Integer.MAX_VALUE);
        fixHeaderCrc(b, original);
        out.add(new Damage("header key length 2^31-1 (CRC recomputed)", b, false));
        return out;
    }

    /** A complete checkpoint record with a valid CRC around the payload {@code fill} writes. */
    private static byte[] checkpoint(java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer p = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(p);
        int payload = p.position();
        ByteBuffer r = ByteBuffer.allocate(16 + payload + 4).order(ByteOrder.LITTLE_ENDIAN);
        r.put("KVCK".getBytes()).putInt(0).putLong(payload).put(p.array(), 0, payload);
        CRC32C crc = new CRC32C();
        crc.update(r.array(), 0, 16 + payload);
        r.putInt((int) crc.getValue());
        return r.array();
    }

    private static void fixHeaderCrc(byte[] b, byte[] original) {
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int end = 16 + ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, end);
        in.putInt(end, (int) crc.getValue());
    }

    /** Ends of the header and of every checkpoint record (docs/cache-format.md). */
    private static List<Long> boundaries(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> out = new ArrayList<>();
        long pos = 16L + in.getInt(12) + 4;
        out.add(pos);
        while (pos < file.length) {
            pos += 16 + in.getLong((int) pos + 8) + 4;
            out.add(pos);
        }
        assertThat(pos).isEqualTo(file.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
