package dev.authfn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.UserStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The client's bounds: an unreachable, silent or failing endpoint ends in one
 * {@link StoreUnavailableException} within seconds, after the SDK's retries, and the message
 * names the operation but no credential. Each endpoint here is a socket on the loopback address.
 */
class DynamoDbClientsIT {

    private static final String ACCESS_KEY = "AKIAAUTHFNTESTONLY01";
    private static final String SECRET_KEY = "authfn-test-secret-that-must-never-show";
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    private static final Instant NOW = Instant.parse("2100-01-01T08:00:00Z");
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void anEndpointOnAClosedPortFailsWithStoreUnavailableWithinSeconds() throws IOException {
        URI closed = URI.create("http://127.0.0.1:" + closedPort());

        try (DynamoDbClient client = DynamoDbClients.create(Optional.of(closed), Region.US_EAST_1, CREDENTIALS)) {
            SessionStore sessions = new DynamoDbSessionStore(client, "sessions");
            UserStore users = new DynamoDbUserStore(client, "users");

            assertUnavailableWithin(BOUND, () -> sessions.find("some-session", NOW), "GetItem (find session)");
            assertUnavailableWithin(BOUND, () -> users.reserveAttempt("alice", NOW, LockoutPolicy.DEFAULT),
                    "UpdateItem (reserve login attempt)");
            assertUnavailableWithin(BOUND, () -> users.reserveUnknownAttempt("nobody", NOW, LockoutPolicy.DEFAULT),
                    "UpdateItem (reserve unknown-name attempt)");
            assertUnavailableWithin(BOUND, () -> sessions.revokeAll("some-user"), "Query userId-index (revoke all)");
        }
    }

    @Test
    void anEndpointThatNeverAnswersFailsWithinTheApiCallTimeout() throws IOException {
        // A listening socket that never accepts: connections complete in the kernel's backlog
        // and the request goes out, but no byte ever comes back.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                DynamoDbClient client = DynamoDbClients.create(
                        Optional.of(URI.create("http://127.0.0.1:" + silent.getLocalPort())), Region.US_EAST_1,
                        CREDENTIALS)) {
            SessionStore sessions = new DynamoDbSessionStore(client, "sessions");

            assertUnavailableWithin(BOUND, () -> sessions.find("some-session", NOW), "GetItem (find session)");
        }
    }

    @Test
    void aServerErrorIsRetriedThenReportedAsStoreUnavailable() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = failingServer(500, "InternalServerError", requests);
        try (DynamoDbClient client = clientFor(server)) {
            SessionStore sessions = new DynamoDbSessionStore(client, "sessions");

            assertThatThrownBy(() -> sessions.find("some-session", NOW))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessage("DynamoDB GetItem (find session) failed: InternalServerError (HTTP 500)");
            assertThat(requests).hasValue(DynamoDbClients.MAX_ATTEMPTS);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void throttlingIsRetriedThenReportedAsStoreUnavailable() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = failingServer(400, "ProvisionedThroughputExceededException", requests);
        try (DynamoDbClient client = clientFor(server)) {
            UserStore users = new DynamoDbUserStore(client, "users");

            assertThatThrownBy(() -> users.get("alice"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessage("DynamoDB GetItem (get user) failed: ProvisionedThroughputExceededException (HTTP 400)");
            assertThat(requests).hasValue(DynamoDbClients.MAX_ATTEMPTS);
        } finally {
            server.stop(0);
        }
    }

    private static void assertUnavailableWithin(Duration bound, Executable operation, String operationName) {
        long start = System.nanoTime();
        StoreUnavailableException failure = assertThrows(
                StoreUnavailableException.class, operation);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(elapsed).isLessThan(bound);
        assertThat(failure.getMessage())
                .startsWith("DynamoDB " + operationName + " failed: ")
                .doesNotContain(ACCESS_KEY)
                .doesNotContain(SECRET_KEY);
    }

    /** A DynamoDB look-alike that answers every request with the given error. */
    private static HttpServer failingServer(int status, String errorCode, AtomicInteger requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + errorCode + "\",\"message\":\"test\"}")
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private static DynamoDbClient clientFor(HttpServer server) {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return DynamoDbClients.create(Optional.of(endpoint), Region.US_EAST_1, CREDENTIALS);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
