package dev.kvasir.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A throwaway {@code redis-server} on a free loopback port, without persistence, as a child process.
 * Without the binary a test is skipped with a message, except in CI ({@code CI=true}), where it fails:
 * {@code .ci/run} installs the Debian package {@code redis-server}.
 */
public final class LocalRedis implements AutoCloseable {
    private final Path binary;
    private final int port;
    private Process process;

    private LocalRedis(Path binary, int port) {
        this.binary = binary;
        this.port = port;
    }

    public static LocalRedis start() {
        Path binary = find();
        if (binary == null) {
            String why = "redis-server not found on PATH (Debian: apt-get install redis-server)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why + "; CI must run the Redis tests");
            }
            assumeTrue(false, why + "; skipping the Redis test");
        }
        LocalRedis r = new LocalRedis(binary, freePort());
        r.restart();
        return r;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server (SIGKILL: no goodbye to clients) and waits until it is gone. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts (again) on the same port, empty, and waits until it accepts connections. */
    public void restart() {
        kill();
        try {
            process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port);
                }
                sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not listen on port " + port + " within 10 s");
    }

    @Override
    public void close() {
        kill();
    }

    private static Path find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        Path sbin = Path.of("/usr/sbin/redis-server");
        return Files.isExecutable(sbin) ? sbin : null;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
