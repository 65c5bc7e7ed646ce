package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.keys.KeySet;
import dev.authfn.secrets.SecretUnavailableException;
import dev.authfn.secrets.SecretsManagerReader;
import dev.authfn.testkit.MutableClock;
import dev.authfn.testkit.faults.FaultProxy;
import dev.authfn.testkit.faults.FaultProxy.Fault;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The composition root's key set from Secrets Manager, against a stand-in Secrets Manager on the
 * loopback interface (the JDK's HTTP server answering GetSecretValue): unreachable at a refresh,
 * or accepting but never answering (half-open, through a {@link FaultProxy}), the last good key
 * set keeps serving and one WARN line says why; unreachable at init, the
 * function fails with one line naming the call and the secret.
 */
class ComponentsKeyRefreshTest {

    private static final String SECRET_ID = "authfn/keys";
    private static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final String keysJson = KeySet.generate(clock).toJson();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<String> warnings = new ArrayList<>();
    private final HttpServer secretsManager = fakeSecretsManager();

    @AfterEach
    void stop() {
        secretsManager.stop(0);
    }

    @Test
    void keepsServingTheLastGoodKeySetAndWarnsWhenSecretsManagerIsUnreachableAtARefresh() {
        Components components = Components.fromEnvironment(environment(), Set.of(Requirement.KEYS), clock, warnings::add);
        KeySet first = components.keys().get();
        assertThat(first.toJson()).isEqualTo(keysJson);
        assertThat(reads).hasValue(1);

        secretsManager.stop(0);
        clock.advance(components.config().keysRefreshInterval());

        assertThat(components.keys().get()).isSameAs(first);
        assertThat(warnings).containsExactly("{\"level\":\"WARN\",\"event\":\"keys\",\"outcome\":\"refresh_failed\","
                + "\"reason\":\"KEY_SOURCE_UNAVAILABLE\",\"cause\":\"SecretUnavailableException\","
                + "\"detail\":\"keeping the previous key set until the next try\"}");
        assertThat(reads).hasValue(1);
        // Until the next interval the function does not try again, so an outage costs one slow call per interval.
        assertThat(components.keys().get()).isSameAs(first);
        assertThat(warnings).hasSize(1);
    }

    @Test
    void keepsServingTheLastGoodKeySetWhenSecretsManagerAcceptsButNeverAnswersAtARefreshAndGivesUpWithinTheReadersTimeout()
            throws IOException {
        try (FaultProxy proxy = FaultProxy.start(URI.create("http://127.0.0.1:" + secretsManager.getAddress().getPort()))) {
            Components components = Components.fromEnvironment(environment(proxy.uri()), Set.of(Requirement.KEYS), clock,
                    warnings::add);
            KeySet first = components.keys().get();

            proxy.set(Fault.halfOpen());
            clock.advance(components.config().keysRefreshInterval());
            long start = System.nanoTime();
            KeySet refreshed = components.keys().get();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(refreshed).isSameAs(first);
            // The request that meets the refresh waits at most the reader's request timeout.
            assertThat(took).isLessThanOrEqualTo(SecretsManagerReader.REQUEST_TIMEOUT.plusSeconds(2));
            assertThat(warnings).singleElement().asString()
                    .contains("\"reason\":\"KEY_SOURCE_UNAVAILABLE\",\"cause\":\"SecretUnavailableException\"");
            assertThat(reads).hasValue(1);
        }
    }

    @Test
    void failsAtInitWithOneLineNamingTheCallAndTheSecretWhenSecretsManagerIsUnreachable() {
        secretsManager.stop(0);

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> Components.fromEnvironment(environment(), Set.of(Requirement.KEYS), clock, warnings::add));

        assertThat(failure).hasMessage("GetSecretValue for secret \"authfn/keys\" failed: I/O error (ConnectException)");
        assertThat(failure.getMessage()).doesNotContain("\n", SECRET_ACCESS_KEY);
        assertThat(warnings).isEmpty();
    }

    private Map<String, String> environment() {
        return environment(URI.create("http://127.0.0.1:" + secretsManager.getAddress().getPort()));
    }

    private Map<String, String> environment(URI secretsEndpoint) {
        return Map.of(
                AuthfnConfig.ENV_KEYS_SECRET_ID, SECRET_ID,
                "AUTHFN_SECRETS_ENDPOINT", secretsEndpoint.toString(),
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
    }

    /** Answers every request with the key set as the secret's string, as GetSecretValue does. */
    private HttpServer fakeSecretsManager() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                reads.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                byte[] body = dev.authfn.core.json.Json.write(Map.of("Name", SECRET_ID, "SecretString", keysJson))
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
