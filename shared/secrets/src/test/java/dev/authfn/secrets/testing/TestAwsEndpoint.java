package dev.authfn.secrets.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real AWS API for integration tests: the endpoint in {@code AUTHFN_TEST_AWS_ENDPOINT} if set
 * ({@code aws} means real AWS, as in the testkit's DynamoDB harness), else a {@code moto_server}
 * (moto 5 serves every service on one port) started on a free port of 127.0.0.1 and stopped by
 * {@link #close()}. Without either the tests fail; they never skip.
 */
public final class TestAwsEndpoint implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final Optional<URI> uri;
    private final Process moto;

    private TestAwsEndpoint(Optional<URI> uri, Process moto) {
        this.uri = uri;
        this.moto = moto;
    }

    public static TestAwsEndpoint start() throws IOException, InterruptedException {
        String configured = System.getenv("AUTHFN_TEST_AWS_ENDPOINT");
        if (configured != null && configured.strip().equalsIgnoreCase("aws")) {
            return new TestAwsEndpoint(Optional.empty(), null);
        }
        if (configured != null && !configured.isBlank()) {
            return new TestAwsEndpoint(Optional.of(URI.create(configured.strip())), null);
        }
        int port = freePort();
        Path log = Files.createTempFile("authfn-moto-", ".log");
        log.toFile().deleteOnExit();
        Process moto;
        try {
            moto = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("The integration tests need a Secrets Manager API, and moto_server is not on the PATH. "
                    + "Install moto 5 with its server (pip install 'moto[server]>=5', or pipx install 'moto[server]'), "
                    + "or set AUTHFN_TEST_AWS_ENDPOINT to a running endpoint such as LocalStack's http://localhost:4566.", e);
        }
        URI uri = URI.create("http://127.0.0.1:" + port);
        awaitAnswer(uri, moto, log);
        return new TestAwsEndpoint(Optional.of(uri), moto);
    }

    /** The emulator's endpoint; empty for real AWS. */
    public Optional<URI> uri() {
        return uri;
    }

    @Override
    public void close() {
        if (moto == null) {
            return;
        }
        moto.descendants().forEach(ProcessHandle::destroy);
        moto.destroy();
        try {
            if (!moto.waitFor(10, TimeUnit.SECONDS)) {
                moto.destroyForcibly();
            }
        } catch (InterruptedException e) {
            moto.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until moto answers HTTP at all; fails with its log if it exits or stays silent. */
    private static void awaitAnswer(URI uri, Process moto, Path log) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(uri.resolve("/moto-api/")).timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!moto.isAlive()) {
                throw new AssertionError("moto_server exited with status " + moto.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                client.send(probe, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        moto.destroyForcibly();
        throw new AssertionError("moto_server did not answer on " + uri + " within " + STARTUP_TIMEOUT + ":\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
