package dev.authfn.testkit.dynamodb;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A {@code moto_server} child process on a free loopback port; closing it stops the process. */
final class MotoServer implements AutoCloseable {

    static final String EXECUTABLE = "moto_server";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL_DELAY = Duration.ofMillis(100);

    private final Process process;
    private final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** The first {@code moto_server} in the directories of {@code path} (a PATH value). */
    static Optional<Path> findOnPath(String path) {
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isBlank()) {
                continue;
            }
            Path candidate = Path.of(directory, EXECUTABLE);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts {@code executable} on 127.0.0.1 and a free port, and waits until it answers HTTP. */
    static MotoServer start(Path executable) throws IOException, InterruptedException {
        int port = freePort();
        Path log = Files.createTempFile("authfn-moto-server-", ".log");
        Process process = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port));
        // Covers a JVM that ends without closing the extension's store (closing twice is harmless).
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-moto-server"));
        server.awaitAnswer(log);
        return server;
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitAnswer(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(EXECUTABLE + " exited with code " + process.exitValue()
                        + " before it answered; its output:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (HttpProbe.status(endpoint.resolve("/moto-api/")).isPresent()) {
                return;
            }
            Thread.sleep(POLL_DELAY);
        }
        close();
        throw new IOException(EXECUTABLE + " did not answer at " + endpoint + " within " + STARTUP_TIMEOUT
                + "; its output is in " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
