package dev.kvasir.cli;

import dev.kvasir.KvasirException;
import dev.kvasir.synth.ArchModel;
import dev.kvasir.synth.ArchShape;
import dev.kvasir.synth.ModelShape;
import dev.kvasir.synth.SyntheticModel;
import dev.kvasir.tensor.GgmlType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kvasir dev synth}: a GGUF with a real model's shape, random weights and a donor's vocabulary. */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a GGUF with random weights: a real llama model's shape (for benchmarks) or a tiny model of one family (--arch).")
final class SynthCommand implements Callable<Integer> {
    private final CliIo io;

    @Option(names = "--shape", paramLabel = "SHAPE",
            description = "A llama shape: tinyllama-1.1b, llama-3.2-1b, llama-110m or tiny (tests).")
    String shape;

    @Option(names = "--arch", paramLabel = "ARCH",
            description = "Instead of --shape: a tiny model of this family (qwen3, smollm3, granite, phi3) for llama.cpp comparisons.")
    String arch;

    @Option(names = "--type", defaultValue = "q8_0", paramLabel = "TYPE",
            description = "Matrix type: f32, f16, bf16, q8_0, q4_0, q4_1, q4_k, q5_k, q6_k (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--vocab-from", required = true, paramLabel = "DONOR.gguf",
            description = "GGUF whose vocabulary and tokenizer metadata are copied.")
    Path donor;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.gguf", description = "File to write.")
    Path output;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random weights (default: ${DEFAULT-VALUE}).")
    long seed;

    SynthCommand(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        if ((shape == null) == (arch == null)) {
            throw new KvasirException("give exactly one of --shape (a llama shape) or --arch (" + ArchShape.Preset.names() + ")");
        }
        Path from = io.workingDir().resolve(donor);
        if (!Files.isRegularFile(from)) {
            throw new KvasirException(from + ": donor GGUF not found; pass --vocab-from with a model file that has a vocabulary");
        }
        Path out = io.workingDir().resolve(output);
        long start = System.nanoTime();
        String name;
        if (arch != null) {
            ArchShape archShape = ArchShape.Preset.byArch(arch);
            new ArchModel(archShape, ggmlType(type), seed).write(from, out);
            name = "synthetic " + archShape.arch();
        } else {
            ModelShape modelShape = ModelShape.Preset.byId(shape);
            new SyntheticModel(modelShape, ggmlType(type), seed).write(from, out);
            name = modelShape.name();
        }
        io.err().printf(Locale.ROOT, "wrote %s (%s, %s) in %.1f s%n", out, name, type.toUpperCase(Locale.ROOT),
                (System.nanoTime() - start) / 1e9);
        return 0;
    }

    static GgmlType ggmlType(String name) {
        try {
            return GgmlType.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new KvasirException("unknown --type '" + name + "'; use f32, f16, bf16, q8_0, q4_0, q4_1, q4_k, q5_k or q6_k");
        }
    }
}
