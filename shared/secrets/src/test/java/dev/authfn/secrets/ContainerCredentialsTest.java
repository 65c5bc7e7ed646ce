package dev.authfn.secrets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the provider against a JDK HttpServer on 127.0.0.1 that plays Lambda's credentials endpoint. */
class ContainerCredentialsTest {

    private static final Instant NOW = Instant.parse("2026-11-26T11:00:00Z");
    private static final Instant EXPIRATION = Instant.parse("2026-11-26T12:00:00Z");
    private static final String PATH = "/2021-04-23/credentials";
    private static final String AUTHORIZATION_TOKEN = "container-authorization-token-that-must-not-leak";
    private static final String ACCESS_KEY_ID = "ASIACONTAINER0EXAMPLE";
    private static final String SECRET_ACCESS_KEY = "c0ntainer/Secret/Access/Key+EXAMPLEKEY";
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjContainerSessionTokenEXAMPLE==";

    /** What the stub saw of one request. */
    record Received(String method, String path, Headers headers) {}

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch releaseBlockedHandler = new CountDownLatch(1);
    private final MutableClock clock = new MutableClock(NOW);
    private volatile HttpHandler answer;
    private HttpServer server;

    @TempDir
    Path directory;

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    new Headers(exchange.getRequestHeaders())));
            answer.handle(exchange);
        });
        server.start();
    }

    @AfterEach
    void stopStub() {
        releaseBlockedHandler.countDown();
        server.stop(0);
    }

    @Test
    void fetchesCredentialsWithAGetThatCarriesTheAuthorizationToken() {
        answerCredentials(ACCESS_KEY_ID, EXPIRATION);

        Credentials credentials = provider(environment()).resolve();

        assertThat(credentials).isEqualTo(new Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY, Optional.of(SESSION_TOKEN)));
        assertThat(received).hasSize(1);
        Received request = received.getFirst();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo(PATH);
        assertThat(request.headers().get("Authorization")).containsExactly(AUTHORIZATION_TOKEN);
    }

    @Test
    void readsTheTokenFromTheTokenFileWithoutItsTrailingNewline() throws IOException {
        answerCredentials(ACCESS_KEY_ID, EXPIRATION);
        Path tokenFile = Files.writeString(directory.resolve("token"), "token-from-file\n");
        Map<String, String> env = environment();
        env.remove("AWS_CONTAINER_AUTHORIZATION_TOKEN");
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString());

        provider(env).resolve();

        assertThat(received.getFirst().headers().get("Authorization")).containsExactly("token-from-file");
    }

    @Test
    void readsTheTokenFileAgainForEachFetchSoARotatedTokenIsSent() throws IOException {
        answerCredentials(ACCESS_KEY_ID, EXPIRATION);
        Path tokenFile = Files.writeString(directory.resolve("token"), "first-token");
        Map<String, String> env = environment();
        env.remove("AWS_CONTAINER_AUTHORIZATION_TOKEN");
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString());
        ContainerCredentials provider = provider(env);
        provider.resolve();

        Files.writeString(tokenFile, "rotated-token");
        clock.set(EXPIRATION.minus(ContainerCredentials.REFRESH_BEFORE_EXPIRATION));
        answerCredentials(ACCESS_KEY_ID, EXPIRATION.plus(Duration.ofHours(1)));
        provider.resolve();

        assertThat(received).extracting(request -> request.headers().getFirst("Authorization"))
                .containsExactly("first-token", "rotated-token");
    }

    @Test
    void prefersTheTokenVariableToTheTokenFileAsTheSdkDoes() throws IOException {
        answerCredentials(ACCESS_KEY_ID, EXPIRATION);
        Map<String, String> env = environment();
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                Files.writeString(directory.resolve("token"), "token-from-file").toString());

        provider(env).resolve();

        assertThat(received.getFirst().headers().get("Authorization")).containsExactly(AUTHORIZATION_TOKEN);
    }

    @Test
    void sendsNoAuthorizationHeaderWhenNoTokenIsConfigured() {
        answerCredentials(ACCESS_KEY_ID, EXPIRATION);
        Map<String, String> env = environment();
        env.remove("AWS_CONTAINER_AUTHORIZATION_TOKEN");

        provider(env).resolve();

        assertThat(received.getFirst().headers().containsKey("Authorization")).isFalse();
    }

    @Test
    void fetchesNothingUntilCredentialsAreFirstAskedFor() {
        answerCredentials(ACCESS_KEY_ID, EXPIRATION);

        ContainerCredentials provider = provider(environment());

        assertThat(received).isEmpty();
        provider.resolve();
        assertThat(received).hasSize(1);
    }

    @Test
    void answersASecondCallFromMemoryWithoutARequest() {
        answerCredentials(ACCESS_KEY_ID, EXPIRATION);
        ContainerCredentials provider = provider(environment());
        Credentials first = provider.resolve();

        Credentials second = provider.resolve();

        assertThat(second).isSameAs(first);
        assertThat(received).hasSize(1);
    }

    @Test
    void keepsCredentialsUntilFiveMinutesBeforeTheirExpiration() {
        answerCredentials(ACCESS_KEY_ID, EXPIRATION);
        ContainerCredentials provider = provider(environment());
        Credentials first = provider.resolve();

        clock.set(EXPIRATION.minus(Duration.ofMinutes(5)).minusSeconds(1));
        Credentials later = provider.resolve();

        assertThat(later).isSameAs(first);
        assertThat(received).hasSize(1);
    }

    @Test
    void fetchesNewCredentialsOnceWithinFiveMinutesOfExpiration() {
        answerCredentials(ACCESS_KEY_ID, EXPIRATION);
        ContainerCredentials provider = provider(environment());
        provider.resolve();
        Instant nextExpiration = EXPIRATION.plus(Duration.ofHours(1));
        answerCredentials("ASIAREFRESHED0EXAMPLE", nextExpiration);

        clock.set(EXPIRATION.minus(Duration.ofMinutes(5)));
        Credentials refreshed = provider.resolve();
        Credentials again = provider.resolve();

        assertThat(refreshed.accessKeyId()).isEqualTo("ASIAREFRESHED0EXAMPLE");
        assertThat(again).isSameAs(refreshed);
        assertThat(received).hasSize(2);
    }

    @Test
    @Timeout(10)
    void makesOneRequestForCallersThatAskWhileAFetchIsRunning() throws InterruptedException {
        CountDownLatch firstRequestArrived = new CountDownLatch(1);
        answer = exchange -> {
            firstRequestArrived.countDown();
            awaitRelease();
            sendCredentials(exchange, ACCESS_KEY_ID, EXPIRATION);
        };
        ContainerCredentials provider = provider(environment());
        List<Credentials> results = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> callers = new ArrayList<>();
        Runnable call = () -> {
            try {
                results.add(provider.resolve());
            } catch (RuntimeException e) {
                failure.set(e);
            }
        };
        callers.add(Thread.ofPlatform().start(call));
        firstRequestArrived.await();

        for (int i = 0; i < 7; i++) {
            callers.add(Thread.ofPlatform().start(call));
        }
        // Each later caller parks, waiting for the fetch in flight, before that fetch is answered.
        for (Thread caller : callers.subList(1, callers.size())) {
            while (caller.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
        }
        releaseBlockedHandler.countDown();
        for (Thread caller : callers) {
            caller.join();
        }

        assertThat(failure.get()).isNull();
        assertThat(received).hasSize(1);
        assertThat(results).hasSize(8).allSatisfy(credentials -> assertThat(credentials).isSameAs(results.getFirst()));
    }

    @Test
    void triesAgainAfterAFailedFetch() {
        answer = exchange -> send(exchange, 500, "{}");
        ContainerCredentials provider = provider(environment());
        catchThrowableOfType(SecretUnavailableException.class, provider::resolve);
        answerCredentials(ACCESS_KEY_ID, EXPIRATION);

        Credentials credentials = provider.resolve();

        assertThat(credentials.accessKeyId()).isEqualTo(ACCESS_KEY_ID);
        assertThat(received).hasSize(2);
    }

    @Test
    void reportsAServerErrorWithoutQuotingItsBody() {
        answer = exchange -> send(exchange, 500, "{\"message\":\"bad token " + AUTHORIZATION_TOKEN + "\"}");

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> provider(environment()).resolve());

        assertThat(failure).hasMessage("Fetching container credentials from " + endpoint() + " failed: HTTP 500");
        assertHoldsNoSecret(failure);
    }

    @Test
    void reportsAnAnswerThatIsNotJsonWithoutQuotingIt() {
        answer = exchange -> send(exchange, 200, "{\"AccessKeyId\":\"" + ACCESS_KEY_ID + "\",\"SecretAccessKey\":\""
                + SECRET_ACCESS_KEY + "\",\"Token\":\"" + SESSION_TOKEN);

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> provider(environment()).resolve());

        assertThat(failure).hasMessage("Fetching container credentials from " + endpoint()
                + " failed: the answer is not a JSON object");
        assertHoldsNoSecret(failure);
    }

    @Test
    void namesEveryMissingFieldButNoValue() {
        answer = exchange -> send(exchange, 200, "{\"AccessKeyId\":\"" + ACCESS_KEY_ID + "\",\"SecretAccessKey\":\"\","
                + "\"Token\":\"" + SESSION_TOKEN + "\"}");

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> provider(environment()).resolve());

        assertThat(failure).hasMessage("Fetching container credentials from " + endpoint()
                + " failed: the answer has no SecretAccessKey, Expiration");
        assertHoldsNoSecret(failure);
    }

    @Test
    void reportsAnExpirationThatIsNotAnInstant() {
        answer = exchange -> send(exchange, 200, credentialsJson(ACCESS_KEY_ID, "tomorrow"));

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> provider(environment()).resolve());

        assertThat(failure).hasMessage("Fetching container credentials from " + endpoint()
                + " failed: the answer's Expiration is not an ISO-8601 instant");
        assertHoldsNoSecret(failure);
    }

    @Test
    void refusesCredentialsThatHaveAlreadyExpired() {
        answerCredentials(ACCESS_KEY_ID, NOW);

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> provider(environment()).resolve());

        assertThat(failure).hasMessage("Fetching container credentials from " + endpoint()
                + " failed: the credentials in the answer expired at 2026-11-26T11:00:00Z");
        assertHoldsNoSecret(failure);
    }

    @Test
    void failsFastWhenNothingListensOnThePort() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> env = environment();
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:" + closedPort + PATH);
        ContainerCredentials provider = provider(env);

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class, provider::resolve);

        assertThat(failure).hasMessage("Fetching container credentials from http://127.0.0.1:" + closedPort + PATH
                + " failed: I/O error (ConnectException)");
        assertHoldsNoSecret(failure);
    }

    @Test
    void reportsATokenFileThatCannotBeReadWithoutARequest() {
        Path missing = directory.resolve("no-such-token");
        Map<String, String> env = environment();
        env.remove("AWS_CONTAINER_AUTHORIZATION_TOKEN");
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", missing.toString());

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> provider(env).resolve());

        assertThat(failure).hasMessage("Fetching container credentials from " + endpoint() + " failed: cannot read "
                + "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + missing + " (NoSuchFileException)");
        assertThat(received).isEmpty();
    }

    @Test
    void refusesATokenThatWouldSplitTheHeaderWithoutQuotingIt() {
        Map<String, String> env = environment();
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTHORIZATION_TOKEN + "\r\nX-Injected: yes");

        IllegalArgumentException failure = catchThrowableOfType(IllegalArgumentException.class,
                () -> ContainerCredentials.fromEnvironment(env, clock));

        assertThat(failure).hasMessage("AWS_CONTAINER_AUTHORIZATION_TOKEN holds a control character");
        assertHoldsNoSecret(failure);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1:9001/2021-04-23/credentials",
        "http://127.2.3.4/credentials",
        "http://localhost:9001/credentials",
        "http://[::1]:9001/credentials",
        "http://169.254.170.2/v2/credentials/4f1e",
        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials",
        "https://credentials.example.com/v1/credentials",
    })
    void acceptsLoopbackAndContainerAddressesOverHttpAndAnyHttpsUrl(String fullUri) {
        Map<String, String> env = environment();
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", fullUri);

        assertThatCode(() -> ContainerCredentials.fromEnvironment(env, clock)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/role",
        "http://10.0.0.1:9001/credentials",
        "http://[fd00:ec2::24]/v1/credentials",
        "http://credentials.example.com/v1/credentials",
        "http://127.0.0.1.nip.io/credentials",
    })
    void refusesOtherHostsOverHttp(String fullUri) {
        Map<String, String> env = environment();
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", fullUri);

        IllegalArgumentException failure = catchThrowableOfType(IllegalArgumentException.class,
                () -> ContainerCredentials.fromEnvironment(env, clock));

        assertThat(failure).hasMessage("AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback "
                + "address (127.0.0.0/8, ::1, localhost) or a container credentials address "
                + "(169.254.170.2, 169.254.170.23, fd00:ec2::23), not " + fullUri);
    }

    @Test
    void leavesTheQueryOutWhenItRefusesAnEndpoint() {
        Map<String, String> env = environment();
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.0.0.1:9001/credentials?token=" + AUTHORIZATION_TOKEN);

        IllegalArgumentException failure = catchThrowableOfType(IllegalArgumentException.class,
                () -> ContainerCredentials.fromEnvironment(env, clock));

        assertThat(failure).hasMessageEndingWith(", not http://10.0.0.1:9001/credentials");
        assertHoldsNoSecret(failure);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/credentials", "127.0.0.1:9001/credentials", "file:///var/credentials"})
    void refusesAnEndpointThatIsNotAnHttpUrl(String fullUri) {
        Map<String, String> env = environment();
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", fullUri);

        IllegalArgumentException failure = catchThrowableOfType(IllegalArgumentException.class,
                () -> ContainerCredentials.fromEnvironment(env, clock));

        assertThat(failure).hasMessage("AWS_CONTAINER_CREDENTIALS_FULL_URI must be an http(s) URL with a host");
    }

    @Test
    void needsTheFullUri() {
        Map<String, String> env = environment();
        env.remove("AWS_CONTAINER_CREDENTIALS_FULL_URI");

        IllegalArgumentException failure = catchThrowableOfType(IllegalArgumentException.class,
                () -> ContainerCredentials.fromEnvironment(env, clock));

        assertThat(failure).hasMessage("AWS_CONTAINER_CREDENTIALS_FULL_URI is not set");
    }

    @Test
    void toStringShowsTheEndpointButNoToken() {
        assertThat(provider(environment())).hasToString("ContainerCredentials[endpoint=" + endpoint() + "]");
    }

    private ContainerCredentials provider(Map<String, String> env) {
        return ContainerCredentials.fromEnvironment(env, clock);
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** A SnapStart-like Lambda environment: container credentials, no access key variables. */
    private Map<String, String> environment() {
        return new HashMap<>(Map.of(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTHORIZATION_TOKEN,
                "AWS_REGION", "eu-west-1"));
    }

    private void answerCredentials(String accessKeyId, Instant expiration) {
        answer = exchange -> sendCredentials(exchange, accessKeyId, expiration);
    }

    private static void sendCredentials(HttpExchange exchange, String accessKeyId, Instant expiration) throws IOException {
        send(exchange, 200, credentialsJson(accessKeyId, expiration.toString()));
    }

    private static String credentialsJson(String accessKeyId, String expiration) {
        return "{\"AccessKeyId\":\"" + accessKeyId + "\",\"SecretAccessKey\":\"" + SECRET_ACCESS_KEY + "\","
                + "\"Token\":\"" + SESSION_TOKEN + "\",\"Expiration\":\"" + expiration + "\"}";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void awaitRelease() {
        try {
            releaseBlockedHandler.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Neither the message nor any cause's message holds the token or a part of the credentials. */
    private static void assertHoldsNoSecret(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage()))
                    .doesNotContain(AUTHORIZATION_TOKEN, ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN);
        }
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
