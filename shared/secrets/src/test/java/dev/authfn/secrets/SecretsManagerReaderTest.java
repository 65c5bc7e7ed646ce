package dev.authfn.secrets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.authfn.secrets.testing.AwsSdkSigner;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the reader against a JDK HttpServer on 127.0.0.1 that plays Secrets Manager. */
class SecretsManagerReaderTest {

    private static final Instant NOW = Instant.parse("2025-03-14T15:09:26Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ACCESS_KEY_ID = "ASIAQEXAMPLE7TOKEN12";
    private static final String SECRET_ACCESS_KEY = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+token==";
    private static final Credentials CREDENTIALS =
            new Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY, Optional.of(SESSION_TOKEN));
    private static final String SECRET_ID = "authfn/keys";
    private static final String KEY_MATERIAL = "k3y-m4ter1al-that-must-not-leak";

    /** What the stub saw of one request. */
    record Received(String method, String path, Headers headers, byte[] body) {}

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch releaseSilentHandler = new CountDownLatch(1);
    private volatile HttpHandler answer;
    private HttpServer server;

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    new Headers(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes()));
            answer.handle(exchange);
        });
        server.start();
    }

    @AfterEach
    void stopStub() {
        releaseSilentHandler.countDown();
        server.stop(0);
    }

    @Test
    void sendsASignedGetSecretValuePost() {
        answerJson(200, "{\"Name\":\"authfn/keys\",\"SecretString\":\"{}\"}");

        reader().getSecretString(SECRET_ID);

        assertThat(received).hasSize(1);
        Received request = received.getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/");
        assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(request.headers().getFirst("X-Amz-Target")).isEqualTo("secretsmanager.GetSecretValue");
        assertThat(request.headers().getFirst("X-Amz-Date")).isEqualTo("20250314T150926Z");
        assertThat(request.headers().getFirst("X-Amz-Security-Token")).isEqualTo(SESSION_TOKEN);
        assertThat(new String(request.body(), UTF_8)).isEqualTo("{\"SecretId\":\"authfn/keys\"}");
    }

    @Test
    void signsWhatItSendsSoTheAwsSdkSignerAgreesOnTheReceivedRequest() {
        answerJson(200, "{\"SecretString\":\"{}\"}");

        reader().getSecretString(SECRET_ID);

        Received request = received.getFirst();
        String expected = AwsSdkSigner.signPost("secretsmanager", "eu-west-1",
                        URI.create("http://" + request.headers().getFirst("Host") + "/"),
                        Map.of("Content-Type", request.headers().getFirst("Content-Type"),
                                "X-Amz-Target", request.headers().getFirst("X-Amz-Target")),
                        request.body(), CREDENTIALS, NOW)
                .firstMatchingHeader("Authorization").orElseThrow();
        assertThat(request.headers().getFirst("Authorization")).isEqualTo(expected);
    }

    @Test
    void returnsTheSecretStringExactlyWithItsEscapesDecoded() {
        answerJson(200, """
                {"ARN":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:authfn/keys-a1B2c3",\
                "Name":"authfn/keys","VersionId":"EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE",\
                "SecretString":"{\\"keys\\":[]}\\nline \\"two\\" caf\\u00e9 back\\\\slash \\ud83d\\udd11 tab\\t/end\\/",\
                "VersionStages":["AWSCURRENT"],"CreatedDate":1.741964966123E9}""");

        String secret = reader().getSecretString(SECRET_ID);

        assertThat(secret).isEqualTo("{\"keys\":[]}\nline \"two\" café back\\slash \uD83D\uDD11 tab\t/end/");
    }

    @Test
    void escapesTheSecretIdInTheRequestBody() throws Exception {
        answerJson(200, "{\"SecretString\":\"{}\"}");
        String secretId = "quote\" backslash\\ newline\n clé 🔑";

        reader().getSecretString(secretId);

        assertThat(JSONObjectUtils.parse(new String(received.getFirst().body(), UTF_8)))
                .containsExactly(Map.entry("SecretId", secretId));
    }

    @Test
    void reportsAnUnknownSecretWithItsIdStatusAndErrorType() {
        answerJson(400, "{\"__type\":\"ResourceNotFoundException\","
                + "\"message\":\"Secrets Manager can't find the specified secret " + KEY_MATERIAL + ".\"}");

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> reader().getSecretString(SECRET_ID));

        assertThat(failure).hasMessage("GetSecretValue for secret \"authfn/keys\" failed: HTTP 400 ResourceNotFoundException");
        assertHoldsNoSecretMaterial(failure);
    }

    @Test
    void reportsAServerErrorWithItsTypeButNotItsMessage() {
        answerJson(500, "{\"__type\":\"InternalServiceError\",\"message\":\"" + KEY_MATERIAL + "\"}");

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> reader().getSecretString(SECRET_ID));

        assertThat(failure).hasMessage("GetSecretValue for secret \"authfn/keys\" failed: HTTP 500 InternalServiceError");
        assertHoldsNoSecretMaterial(failure);
    }

    @Test
    void dropsTheNamespaceOfAnErrorType() {
        answerJson(400, "{\"__type\":\"com.amazonaws.secretsmanager#DecryptionFailure\",\"message\":\"no\"}");

        assertThatThrownBy(() -> reader().getSecretString(SECRET_ID))
                .isInstanceOf(SecretUnavailableException.class)
                .hasMessage("GetSecretValue for secret \"authfn/keys\" failed: HTTP 400 DecryptionFailure");
    }

    @Test
    void takesTheErrorTypeFromTheHeaderWhenTheBodyIsNotJson() {
        answer = exchange -> {
            exchange.getResponseHeaders().set("x-amzn-ErrorType",
                    "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/");
            send(exchange, 400, "text/plain", "Rate exceeded");
        };

        assertThatThrownBy(() -> reader().getSecretString(SECRET_ID))
                .isInstanceOf(SecretUnavailableException.class)
                .hasMessage("GetSecretValue for secret \"authfn/keys\" failed: HTTP 400 ThrottlingException");
    }

    @Test
    void reportsAnErrorWithoutATypeAsSuch() {
        answer = exchange -> send(exchange, 502, "text/html", "<html>" + KEY_MATERIAL + "</html>");

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> reader().getSecretString(SECRET_ID));

        assertThat(failure).hasMessage("GetSecretValue for secret \"authfn/keys\" failed: HTTP 502 (no AWS error type)");
        assertHoldsNoSecretMaterial(failure);
    }

    @Test
    void refusesABinarySecret() {
        answerJson(200, "{\"Name\":\"authfn/keys\",\"SecretBinary\":\"" + KEY_MATERIAL + "\"}");

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> reader().getSecretString(SECRET_ID));

        assertThat(failure).hasMessage("GetSecretValue for secret \"authfn/keys\" failed: "
                + "HTTP 200 but the answer holds no SecretString (a binary secret, or not JSON)");
        assertHoldsNoSecretMaterial(failure);
    }

    @Test
    void refusesAnAnswerThatIsNotJsonWithoutQuotingIt() {
        answerJson(200, "{\"SecretString\":\"" + KEY_MATERIAL);

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> reader().getSecretString(SECRET_ID));

        assertThat(failure).hasMessageEndingWith("holds no SecretString (a binary secret, or not JSON)");
        assertHoldsNoSecretMaterial(failure);
    }

    @Test
    void failsFastWhenNothingListensOnThePort() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SecretsManagerReader reader = SecretsManagerReader.fromEnvironment(environment("http://127.0.0.1:" + closedPort), CLOCK);

        long started = System.nanoTime();
        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> reader.getSecretString(SECRET_ID));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(failure).hasMessage("GetSecretValue for secret \"authfn/keys\" failed: I/O error (ConnectException)");
        assertHoldsNoSecretMaterial(failure);
    }

    @Test
    void givesUpOnASilentEndpointAfterTheRequestTimeout() {
        answer = exchange -> {
            try {
                releaseSilentHandler.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        long started = System.nanoTime();
        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> reader().getSecretString(SECRET_ID));

        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isBetween(SecretsManagerReader.REQUEST_TIMEOUT, SecretsManagerReader.REQUEST_TIMEOUT.plusSeconds(3));
        assertThat(failure).hasMessage("GetSecretValue for secret \"authfn/keys\" failed: I/O error (HttpTimeoutException)");
    }

    @Test
    void usesTheRegionalEndpointUnlessOverridden() {
        Map<String, String> env = new HashMap<>(environment(null));

        assertThat(SecretsManagerReader.fromEnvironment(env, CLOCK).endpoint())
                .isEqualTo(URI.create("https://secretsmanager.eu-west-1.amazonaws.com/"));
        assertThat(SecretsManagerReader.fromEnvironment(environment("http://localhost:4566"), CLOCK).endpoint())
                .isEqualTo(URI.create("http://localhost:4566/"));
    }

    @Test
    void listsEveryMissingVariable() {
        assertThatThrownBy(() -> SecretsManagerReader.fromEnvironment(Map.of(), CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot read secrets from Secrets Manager: AWS_ACCESS_KEY_ID is not set; "
                        + "AWS_SECRET_ACCESS_KEY is not set; AWS_REGION is not set");
    }

    @Test
    void listsEveryMalformedVariableWithoutCredentialValues() {
        Map<String, String> env = new HashMap<>(environment("http://127.0.0.1:4566/secrets"));
        env.put("AWS_REGION", "eu west 1");

        IllegalArgumentException failure = catchThrowableOfType(IllegalArgumentException.class,
                () -> SecretsManagerReader.fromEnvironment(env, CLOCK));

        assertThat(failure).hasMessage("Cannot read secrets from Secrets Manager: "
                + "AWS_REGION must be a region name like us-east-1; AUTHFN_SECRETS_ENDPOINT: "
                + "endpoint must be http(s)://host[:port] with no path, not http://127.0.0.1:4566/secrets");
        assertHoldsNoSecretMaterial(failure);
    }

    private SecretsManagerReader reader() {
        return SecretsManagerReader.fromEnvironment(
                environment("http://127.0.0.1:" + server.getAddress().getPort()), CLOCK);
    }

    /** A Lambda-like environment, with {@code AUTHFN_SECRETS_ENDPOINT} when {@code endpoint} is given. */
    private static Map<String, String> environment(String endpoint) {
        Map<String, String> env = new HashMap<>(Map.of(
                "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY,
                "AWS_SESSION_TOKEN", SESSION_TOKEN,
                "AWS_REGION", "eu-west-1",
                "AWS_LAMBDA_FUNCTION_NAME", "authfn-jwks"));
        if (endpoint != null) {
            env.put("AUTHFN_SECRETS_ENDPOINT", endpoint);
        }
        return env;
    }

    private void answerJson(int status, String body) {
        answer = exchange -> send(exchange, status, "application/x-amz-json-1.1", body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Neither the message nor any cause's message holds a credential, a signature or key material. */
    private void assertHoldsNoSecretMaterial(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage()))
                    .doesNotContain(SECRET_ACCESS_KEY, SESSION_TOKEN, KEY_MATERIAL, "Signature", "AWS4-HMAC-SHA256");
            for (Received request : received) {
                String authorization = request.headers().getFirst("Authorization");
                String signature = authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
                assertThat(String.valueOf(t.getMessage())).doesNotContain(signature);
            }
        }
    }
}
