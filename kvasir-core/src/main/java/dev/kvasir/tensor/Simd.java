package dev.kvasir.tensor;

import java.util.Optional;

/**
 * Which SIMD path the kernels use, decided once per JVM. Only this class may be touched when the
 * {@code jdk.incubator.vector} module is absent: it reports the problem instead of failing obscurely.
 */
public final class Simd {
    /** Set this system property to 128/256/512 to force a narrower vector shape (tests, benchmarks). */
    public static final String BITS_PROPERTY = "kvasir.vector.bits";

    private static final boolean AVAILABLE =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Simd() {}

    /** Whether the Vector API module was added to this JVM ({@code --add-modules jdk.incubator.vector}). */
    public static boolean available() {
        return AVAILABLE;
    }

    /** A loud one-line warning when the kernels cannot run, for the CLI to print. */
    public static Optional<String> warning() {
        return AVAILABLE ? Optional.empty() : Optional.of(missingMessage());
    }

    /** One line naming the vector species and kernels in use, for {@code --verbose}. */
    public static String describe() {
        return AVAILABLE ? Kernels.describe() : "WARNING: " + missingMessage();
    }

    /** Throws the user-facing error when the Vector API is missing. */
    static void requireAvailable() {
        if (!AVAILABLE) {
            throw new dev.kvasir.KvasirException(missingMessage());
        }
    }

    private static String missingMessage() {
        return "the jdk.incubator.vector module is not loaded, so Kvasir's SIMD kernels cannot run; "
                + "start java with --add-modules jdk.incubator.vector (bin/kvasir does this)";
    }
}
