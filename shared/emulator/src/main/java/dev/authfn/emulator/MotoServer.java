package dev.authfn.emulator;

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

/**
 * A moto server child process on a free loopback port; closing it stops the process. It runs
 * moto with requests serialised (see {@code moto_serial.py}: moto's backends are not thread-safe
 * and lose atomic counter updates under concurrent load), using the Python that sits beside the
 * {@code moto_server} found on the PATH; when that Python cannot run it, it falls back to plain
 * {@code moto_server}.
 */
public final class MotoServer implements AutoCloseable {

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
    public static Optional<Path> findOnPath(String path) {
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

    /**
     * Starts moto (found as {@code executable}) on 127.0.0.1 and a free port, serialised when
     * possible, and waits until it answers HTTP.
     */
    public static MotoServer start(Path executable) throws IOException, InterruptedException {
        return start(executable, freePort());
    }

    /**
     * Starts moto on 127.0.0.1 and the given {@code port}, as {@link #start(Path)} does. For tests
     * that stop a DynamoDB endpoint and bring a fresh one back at the same address.
     */
    public static MotoServer start(Path executable, int port) throws IOException, InterruptedException {
        Path python = executable.resolveSibling("python3");
        if (Files.isExecutable(python)) {
            Path script = Files.createTempFile("authfn-moto-serial-", ".py");
            script.toFile().deleteOnExit();
            try (var in = MotoServer.class.getResourceAsStream("moto_serial.py")) {
                Files.write(script, in.readAllBytes());
            }
            try {
                return launch(python.toString(), script.toString(), port);
            } catch (IOException e) {
                // That Python lacks moto (a PATH where moto_server lives elsewhere): use moto_server itself.
            }
        }
        return launch(executable.toString(), null, port);
    }

    private static MotoServer launch(String program, String serialScript, int port)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("authfn-moto-server-", ".log");
        log.toFile().deleteOnExit();
        ProcessBuilder builder = serialScript == null
                ? new ProcessBuilder(program, "-H", "127.0.0.1", "-p", Integer.toString(port))
                : new ProcessBuilder(program, serialScript, "127.0.0.1", Integer.toString(port));
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port));
        // Covers a JVM that ends without closing its owner (closing twice is harmless).
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-moto-server"));
        server.awaitAnswer(log);
        return server;
    }

    public URI endpoint() {
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

    /** True while the process runs. */
    public boolean isAlive() {
        return process.isAlive();
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
