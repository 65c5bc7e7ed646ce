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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the reader against a JDK HttpServer on 127.0.0.1 that plays Secrets Manager, and another
 * that plays Lambda's container credentials endpoint.
 */
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
    private static final String CONTAINER_PATH = "/2021-04-23/credentials";
    private static final String CONTAINER_AUTHORIZATION_TOKEN = "container-authorization-token-that-must-not-leak";
    private static final Credentials CONTAINER_CREDENTIALS = new Credentials("ASIACONTAINER0EXAMPLE",
            "c0ntainer/Secret/Access/Key+EXAMPLEKEY", Optional.of("IQoJb3JpZ2luX2VjContainerSessionTokenEXAMPLE=="));

    /** What the stub saw of one request. */
    record Received(String method, String path, Headers headers, byte[] body) {}

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch releaseSilentHandler = new CountDownLatch(1);
    private final List<Received> containerReceived = new CopyOnWriteArrayList<>();
    private volatile HttpHandler answer;
    private volatile HttpHandler containerAnswer = exchange -> send(exchange, 200, "application/json",
            containerCredentialsJson(CONTAINER_CREDENTIALS, NOW.plus(Duration.ofHours(1))));
    private HttpServer server;
    private HttpServer containerServer;

    @BeforeEach
    void startStubs() throws IOException {
        server = stub(received, exchange -> answer.handle(exchange));
        containerServer = stub(containerReceived, exchange -> containerAnswer.handle(exchange));
    }

    @AfterEach
    void stopStubs() {
        releaseSilentHandler.countDown();
        server.stop(0);
        containerServer.stop(0);
    }

    private static HttpServer stub(List<Received> requests, HttpHandler handler) throws IOException {
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", exchange -> {
            requests.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    new Headers(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes()));
            handler.handle(exchange);
        });
        stub.start();
        return stub;
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
    void signsWithTheContainerCredentialsWhenTheEnvironmentHasNoKeys() {
        answerJson(200, "{\"SecretString\":\"{}\"}");

        containerReader().getSecretString(SECRET_ID);

        assertThat(containerReceived).hasSize(1);
        assertThat(containerReceived.getFirst().method()).isEqualTo("GET");
        assertThat(containerReceived.getFirst().path()).isEqualTo(CONTAINER_PATH);
        assertThat(containerReceived.getFirst().headers().get("Authorization")).containsExactly(CONTAINER_AUTHORIZATION_TOKEN);
        Received request = received.getFirst();
        assertThat(request.headers().get("X-Amz-Security-Token"))
                .containsExactly(CONTAINER_CREDENTIALS.sessionToken().orElseThrow());
        String expected = AwsSdkSigner.signPost("secretsmanager", "eu-west-1",
                        URI.create("http://" + request.headers().getFirst("Host") + "/"),
                        Map.of("Content-Type", request.headers().getFirst("Content-Type"),
                                "X-Amz-Target", request.headers().getFirst("X-Amz-Target")),
                        request.body(), CONTAINER_CREDENTIALS, NOW)
                .firstMatchingHeader("Authorization").orElseThrow();
        assertThat(request.headers().getFirst("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=ASIACONTAINER0EXAMPLE/20250314/eu-west-1/secretsmanager/aws4_request")
                .isEqualTo(expected);
    }

    @Test
    void fetchesContainerCredentialsAtTheFirstRequestAndReusesThem() {
        answerJson(200, "{\"SecretString\":\"{}\"}");

        SecretsManagerReader reader = containerReader();
        assertThat(containerReceived).isEmpty();
        reader.getSecretString(SECRET_ID);
        reader.getSecretString(SECRET_ID);

        assertThat(containerReceived).hasSize(1);
        assertThat(received).hasSize(2);
    }

    @Test
    void prefersKeysInTheEnvironmentToContainerCredentials() {
        answerJson(200, "{\"SecretString\":\"{}\"}");
        Map<String, String> env = environment("http://127.0.0.1:" + server.getAddress().getPort());
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", containerEndpoint());
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_AUTHORIZATION_TOKEN);

        SecretsManagerReader.fromEnvironment(env, CLOCK).getSecretString(SECRET_ID);

        assertThat(received.getFirst().headers().get("X-Amz-Security-Token")).containsExactly(SESSION_TOKEN);
        assertThat(containerReceived).isEmpty();
    }

    @Test
    void reportsContainerCredentialsThatCannotBeFetchedWithoutCallingSecretsManager() {
        containerAnswer = exchange -> send(exchange, 500, "application/json",
                "{\"message\":\"" + CONTAINER_AUTHORIZATION_TOKEN + "\"}");

        SecretUnavailableException failure = catchThrowableOfType(SecretUnavailableException.class,
                () -> containerReader().getSecretString(SECRET_ID));

        assertThat(failure).hasMessage("GetSecretValue for secret \"authfn/keys\" failed: no credentials "
                + "(Fetching container credentials from " + containerEndpoint() + " failed: HTTP 500)");
        assertThat(failure.getMessage()).doesNotContain(CONTAINER_AUTHORIZATION_TOKEN);
        assertThat(received).isEmpty();
    }

    @Test
    void asksTheProviderForCredentialsOnEveryRequest() {
        answerJson(200, "{\"SecretString\":\"{}\"}");
        Credentials rotated = new Credentials("ASIAROTATED00EXAMPLE", SECRET_ACCESS_KEY, Optional.of("rotated-session-token"));
        Iterator<Credentials> issued = List.of(CREDENTIALS, rotated).iterator();
        SecretsManagerReader reader = new SecretsManagerReader(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "eu-west-1", issued::next, CLOCK);

        reader.getSecretString(SECRET_ID);
        reader.getSecretString(SECRET_ID);

        assertThat(received).extracting(request -> request.headers().getFirst("X-Amz-Security-Token"))
                .containsExactly(SESSION_TOKEN, "rotated-session-token");
    }

    @Test
    void listsBothWaysToGiveCredentialsWhenNoneIsSet() {
        assertThatThrownBy(() -> SecretsManagerReader.fromEnvironment(Map.of(), CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot read secrets from Secrets Manager: no credentials: set AWS_ACCESS_KEY_ID and "
                        + "AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), or "
                        + "AWS_CONTAINER_CREDENTIALS_FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN or "
                        + "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (Lambda SnapStart); AWS_REGION (or AWS_DEFAULT_REGION) is required");
    }

    @Test
    void asksForTheSecretKeyWhenOnlyTheAccessKeyIdIsSet() {
        assertThatThrownBy(() -> SecretsManagerReader.fromEnvironment(
                        Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_REGION", "eu-west-1"), CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot read secrets from Secrets Manager: AWS_SECRET_ACCESS_KEY is not set");
    }

    @Test
    void reportsAContainerEndpointThatMayNotReceiveTheToken() {
        Map<String, String> env = containerEnvironment();
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.169.254/latest/meta-data/iam/security-credentials/role");

        IllegalArgumentException failure = catchThrowableOfType(IllegalArgumentException.class,
                () -> SecretsManagerReader.fromEnvironment(env, CLOCK));

        assertThat(failure).hasMessage("Cannot read secrets from Secrets Manager: AWS_CONTAINER_CREDENTIALS_FULL_URI "
                + "must be https, or http to a loopback address (127.0.0.0/8, ::1, localhost) or a container "
                + "credentials address (169.254.170.2, 169.254.170.23, fd00:ec2::23), not "
                + "http://169.254.169.254/latest/meta-data/iam/security-credentials/role");
        assertThat(containerReceived).isEmpty();
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

    private SecretsManagerReader containerReader() {
        return SecretsManagerReader.fromEnvironment(containerEnvironment(), CLOCK);
    }

    private String containerEndpoint() {
        return "http://127.0.0.1:" + containerServer.getAddress().getPort() + CONTAINER_PATH;
    }

    /** A Lambda SnapStart environment: container credentials instead of key variables; the stub as endpoint. */
    private Map<String, String> containerEnvironment() {
        return new HashMap<>(Map.of(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", containerEndpoint(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_AUTHORIZATION_TOKEN,
                "AWS_REGION", "eu-west-1",
                "AWS_LAMBDA_FUNCTION_NAME", "authfn-jwks",
                "AUTHFN_SECRETS_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort()));
    }

    private static String containerCredentialsJson(Credentials credentials, Instant expiration) {
        return JSONObjectUtils.toJSONString(Map.of(
                "AccessKeyId", credentials.accessKeyId(),
                "SecretAccessKey", credentials.secretAccessKey(),
                "Token", credentials.sessionToken().orElseThrow(),
                "Expiration", expiration.toString()));
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
